//! The demo's register of interventions: a year of every kind, dated back from today so that
//! some terms are met, some due within days and some overdue — Bibob screenings (one waiting
//! for the LBB, one with the questionnaire out, one past its decision term, one disclosed to
//! the RIEC under art. 28), 13b closures from the drugs cases (care discussed in most),
//! lasten onder dwangsom and bestuursdwang, integrated controls (one planned ahead) and
//! referrals to care and to partners. All names and addresses are invented.

use crate::case_table::DemoCase;
use baken_core::intervention::details::RawDetails;
use baken_core::intervention::Art28Recipient;
use baken_core::intervention::{
    InterventionKind, NewArt28, NewIntervention, NewParty, NewStep, PartyRole,
};
use baken_core::procedure::Length;
use baken_core::Caller;
use baken_store::{Store, StoreError};
use time::{Date, Duration, OffsetDateTime};

/// A step `days` before today (negative: ahead), with the length it was given.
type Step = (&'static str, i64, Option<Length>);

struct Plan {
    kind: InterventionKind,
    title: &'static str,
    address: &'static str,
    /// On the first (then second, …) demo case of this theme.
    case: Option<&'static str>,
    details: RawDetails,
    steps: Vec<Step>,
    party: Option<(&'static str, PartyRole)>,
}

fn lines(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

pub(crate) fn bibob(kind: &str, trigger: &str, own: &str, outcome: &str) -> RawDetails {
    RawDetails {
        decision_kind: kind.into(),
        trigger: trigger.into(),
        own_result: own.into(),
        outcome: outcome.into(),
        conditions: if outcome == "verleend-onder-voorschriften" {
            lines(&["Geen wijziging in leidinggevenden zonder melding vooraf"])
        } else {
            Vec::new()
        },
        ..RawDetails::default()
    }
}

pub(crate) fn closure(drugs: &[&str], care: &str) -> RawDetails {
    RawDetails {
        premises_kind: "woning".into(),
        closure_ground: "handelshoeveelheid".into(),
        drugs: lines(drugs),
        care_discussed: care.into(),
        care_with: if care == "ja" { "WIJ Groningen".into() } else { String::new() },
        care_outcome: if care == "ja" {
            "Bewoner accepteert begeleiding; geen minderjarigen in de woning.".into()
        } else {
            String::new()
        },
        proportionality: "Geschikt om de drugshandel te beëindigen, noodzakelijk gezien de aangetroffen hoeveelheid, evenwichtig gezien de duur en de besproken zorg.".into(),
        ..RawDetails::default()
    }
}

pub(crate) fn sanction(
    article: &str,
    violation: &str,
    amount: &str,
    forfeitures: &[&str],
) -> RawDetails {
    RawDetails {
        legal_basis: "apv".into(),
        article: article.into(),
        violation: violation.into(),
        amount: amount.into(),
        per: "per-overtreding".into(),
        maximum: "10.000".into(),
        forfeitures: lines(forfeitures),
        ..RawDetails::default()
    }
}

pub(crate) fn control(branch: &str, partners: &[&str], findings: &[&str]) -> RawDetails {
    RawDetails {
        branch: branch.into(),
        team: "eigen".into(),
        partners: lines(partners),
        findings: lines(findings),
        ..RawDetails::default()
    }
}

fn referral(to: &str, reason: &str, feedback: &str) -> RawDetails {
    RawDetails {
        recipient: to.into(),
        reason: reason.into(),
        feedback: feedback.into(),
        ..RawDetails::default()
    }
}

fn plans(today: Date) -> Vec<Plan> {
    use InterventionKind as K;
    let weeks = |n| Some(Length::Weeks(n));
    let months = |n| Some(Length::Months(n));
    // A forfeiture 200 days ago, written as the register reads it.
    let forfeited = format!(
        "{} 500",
        baken_core::signal::format_date(today - Duration::days(200))
    );
    vec![
        Plan {
            kind: K::Bibob,
            title: "Exploitatievergunning café Poelestraat",
            address: "Poelestraat 12, Groningen",
            case: None,
            details: bibob(
                "exploitatievergunning-horeca",
                "beleidslijn",
                "geen-indicaties",
                "verleend",
            ),
            steps: vec![
                ("aanvraag-ontvangen", 330, None),
                ("bibob-register-geraadpleegd", 325, None),
                ("eigen-onderzoek-afgerond", 310, None),
                ("besluit", 300, None),
                ("inschrijving-bibob-register", 298, None),
            ],
            party: Some(("Poelestraat Horeca B.V.", PartyRole::Applicant)),
        },
        Plan {
            kind: K::Bibob,
            title: "Alcoholvergunning sportkantine Selwerd",
            address: "Kastanjelaan 3, Groningen",
            case: None,
            details: bibob(
                "alcoholvergunning",
                "beleidslijn",
                "geen-indicaties",
                "verleend",
            ),
            steps: vec![
                ("aanvraag-ontvangen", 280, None),
                ("eigen-onderzoek-afgerond", 265, None),
                ("besluit", 262, None),
            ],
            party: None,
        },
        Plan {
            kind: K::Bibob,
            title: "Vastgoedtransactie bedrijfspand Zernike",
            address: "Zernikepark 40, Groningen",
            case: None,
            details: RawDetails {
                lbb_ground_a: "ernstig".into(),
                lbb_ground_b: "mindere-mate".into(),
                ..bibob("vastgoedtransactie", "riec", "indicaties", "geweigerd")
            },
            steps: vec![
                ("aanvraag-ontvangen", 240, None),
                ("vragenformulier-verstuurd", 236, None),
                ("vragenformulier-ontvangen", 222, None),
                ("eigen-onderzoek-afgerond", 200, None),
                ("betrokkene-geinformeerd", 199, None),
                ("advies-aangevraagd", 198, None),
                ("advies-ontvangen", 150, None),
                ("voornemen-verstuurd", 140, None),
                ("zienswijze-ontvangen", 128, None),
                ("besluit", 110, None),
                ("inschrijving-bibob-register", 108, None),
                ("bezwaar-ontvangen", 80, None),
            ],
            party: Some(("Zernike Vastgoed Holding B.V.", PartyRole::Applicant)),
        },
        Plan {
            kind: K::Bibob,
            title: "Exploitatievergunning shishalounge Oosterstraat",
            address: "Oosterstraat 55, Groningen",
            case: None,
            details: bibob(
                "exploitatievergunning-horeca",
                "om-tip-art-26",
                "indicaties",
                "verleend-onder-voorschriften",
            ),
            steps: vec![
                ("aanvraag-ontvangen", 180, None),
                ("eigen-onderzoek-afgerond", 150, None),
                ("besluit", 120, None),
            ],
            party: None,
        },
        // Waiting for the LBB: the advice term (8 weeks) is due within days.
        Plan {
            kind: K::Bibob,
            title: "Omgevingsvergunning loods Hoogkerk",
            address: "Energieweg 9, Groningen",
            case: None,
            details: bibob(
                "omgevingsvergunning",
                "tip-bestuursorgaan",
                "indicaties",
                "",
            ),
            steps: vec![
                ("aanvraag-ontvangen", 75, None),
                ("eigen-onderzoek-afgerond", 60, None),
                ("betrokkene-geinformeerd", 55, None),
                ("advies-aangevraagd", 54, None),
            ],
            party: Some(("Hoogkerk Opslag V.O.F.", PartyRole::Applicant)),
        },
        // The questionnaire is out: the decision term stands still.
        Plan {
            kind: K::Bibob,
            title: "Exploitatievergunning coffeeshop Peperstraat",
            address: "Peperstraat 21, Groningen",
            case: None,
            details: bibob("coffeeshop", "herbeoordeling", "", ""),
            steps: vec![
                ("aanvraag-ontvangen", 30, None),
                ("vragenformulier-verstuurd", 25, None),
            ],
            party: None,
        },
        // Past its decision term: received ten weeks ago, nothing since.
        Plan {
            kind: K::Bibob,
            title: "Subsidie buurtcentrum Beijum",
            address: "Beijumerweg 7, Groningen",
            case: None,
            details: bibob("subsidie", "bibob-register", "", ""),
            steps: vec![
                ("aanvraag-ontvangen", 70, None),
                ("bibob-register-geraadpleegd", 60, None),
            ],
            party: None,
        },
        Plan {
            kind: K::Closure,
            title: "Sluiting woning Vinkhuizen",
            address: "Siersteenlaan 310, Groningen",
            case: Some("drugs"),
            details: closure(&["hennepplanten 420 planten"], "ja"),
            steps: vec![
                ("rapportage-ontvangen", 300, None),
                ("voornemen-verstuurd", 290, None),
                ("zienswijze-ontvangen", 280, None),
                ("besluit-sluiting", 270, weeks(2)),
                ("gesloten", 250, months(3)),
                ("opgeheven", 163, None),
            ],
            party: Some(("Kevin Bakker", PartyRole::Resident)),
        },
        Plan {
            kind: K::Closure,
            title: "Sluiting bedrijfsunit Zuidoost",
            address: "Eemsgolaan 18, Groningen",
            case: Some("drugs"),
            details: RawDetails {
                premises_kind: "lokaal".into(),
                closure_ground: "voorbereidingshandelingen".into(),
                ..closure(&["grondstoffen 40 liter", "amfetamine 2 kilo"], "nee")
            },
            steps: vec![
                ("rapportage-ontvangen", 160, None),
                ("voornemen-verstuurd", 150, None),
                ("besluit-sluiting", 130, weeks(1)),
                ("gesloten", 115, months(6)),
            ],
            party: Some(("Eemsgo Logistiek B.V.", PartyRole::Operator)),
        },
        Plan {
            kind: K::Closure,
            title: "Waarschuwing woning De Hoogte",
            address: "Bedumerweg 88, Groningen",
            case: None,
            details: closure(&["cannabis 45 gram"], "ja"),
            steps: vec![
                ("rapportage-ontvangen", 90, None),
                ("waarschuwing", 85, None),
            ],
            party: None,
        },
        // An intention just sent: the zienswijze term runs.
        Plan {
            kind: K::Closure,
            title: "Voornemen sluiting woning Paddepoel",
            address: "Zonnelaan 120, Groningen",
            case: Some("drugs"),
            details: closure(&["cocaine 60 gram"], "ja"),
            // Sent nine days ago: the two weeks end within five days.
            steps: vec![
                ("rapportage-ontvangen", 14, None),
                ("voornemen-verstuurd", 9, None),
            ],
            party: None,
        },
        // Decided, and its grace period has passed without the closure recorded.
        Plan {
            kind: K::Closure,
            title: "Sluiting woning Lewenborg",
            address: "Kieviet 14, Groningen",
            case: None,
            details: closure(&["hennepplanten 250 planten"], "ja"),
            steps: vec![
                ("rapportage-ontvangen", 60, None),
                ("voornemen-verstuurd", 52, None),
                ("besluit-sluiting", 30, weeks(2)),
            ],
            party: None,
        },
        Plan {
            kind: K::PenaltyOrder,
            title: "Last onder dwangsom drugshandel op straat Schilderswijk",
            address: "Schilderswijk, Groningen",
            case: None,
            details: RawDetails {
                forfeitures: vec![forfeited],
                ..sanction(
                    "APV art. 2:74a",
                    "heimelijke drugshandel op straat",
                    "500",
                    &[],
                )
            },
            steps: vec![
                ("voornemen-verstuurd", 240, None),
                ("last-opgelegd", 225, weeks(1)),
                ("dwangsom-verbeurd", 200, None),
            ],
            party: Some(("Dennis Mulder", PartyRole::Offender)),
        },
        Plan {
            kind: K::PenaltyOrder,
            title: "Last onder dwangsom illegale kamerverhuur Korrewegwijk",
            address: "Korreweg 201, Groningen",
            case: None,
            details: RawDetails {
                legal_basis: "omgevingswet".into(),
                per: "per-week".into(),
                ..sanction(
                    "Omgevingsplan art. 22.27",
                    "kamerverhuur zonder vergunning",
                    "1.000",
                    &[],
                )
            },
            steps: vec![
                ("voornemen-verstuurd", 40, None),
                ("last-opgelegd", 20, weeks(4)),
            ],
            party: None,
        },
        Plan {
            kind: K::Enforcement,
            title: "Bestuursdwang ontmanteling hennepkwekerij Hoogkerk",
            address: "Zuiderweg 61, Groningen",
            case: None,
            details: RawDetails {
                legal_basis: "opiumwet".into(),
                article: "Opiumwet art. 13b".into(),
                violation: "hennepkwekerij met illegale stroomaansluiting".into(),
                costs: "3.250".into(),
                ..RawDetails::default()
            },
            steps: vec![
                ("last-opgelegd", 110, Some(Length::WorkingDays(2))),
                ("bestuursdwang-uitgevoerd", 100, None),
                ("kosten-verhaald", 60, None),
            ],
            party: None,
        },
        Plan {
            kind: K::Control,
            title: "Integrale controle autobedrijven Westpoort",
            address: "Westpoort, Groningen",
            case: None,
            details: control(
                "autobranche",
                &["gemeente", "politie", "belastingdienst", "rdw"],
                &[
                    "rdw: drie voertuigen zonder geldige kentekenregistratie",
                    "belastingdienst: kasadministratie ontbreekt",
                ],
            ),
            steps: vec![
                ("gepland-op", 200, None),
                ("uitgevoerd-op", 200, None),
                ("bevindingen-vastgelegd", 190, None),
            ],
            party: None,
        },
        Plan {
            kind: K::Control,
            title: "Integrale controle nagelsalons binnenstad",
            address: "Binnenstad, Groningen",
            case: None,
            details: control(
                "nagel-en-kapsalons",
                &["gemeente", "politie", "nla"],
                &["nla: twee werknemers zonder tewerkstellingsvergunning"],
            ),
            steps: vec![
                ("gepland-op", 95, None),
                ("uitgevoerd-op", 95, None),
                ("bevindingen-vastgelegd", 88, None),
            ],
            party: None,
        },
        // Held three weeks ago; the findings are overdue.
        Plan {
            kind: K::Control,
            title: "Integrale controle bedrijventerrein Zuidoost",
            address: "Eemspoort, Groningen",
            case: None,
            details: control(
                "bedrijventerrein",
                &["gemeente", "politie", "omgevingsdienst", "uwv"],
                &[],
            ),
            steps: vec![("gepland-op", 21, None), ("uitgevoerd-op", 21, None)],
            party: None,
        },
        // Planned ahead.
        Plan {
            kind: K::Control,
            title: "Integrale controle horeca Grote Markt",
            address: "Grote Markt, Groningen",
            case: None,
            details: control("horeca", &["gemeente", "politie", "douane", "nvwa"], &[]),
            steps: vec![("gepland-op", -10, None)],
            party: None,
        },
        Plan {
            kind: K::CareReferral,
            title: "Zorgverwijzing bewoner woning Vinkhuizen",
            address: "",
            case: Some("drugs"),
            details: referral(
                "wij-groningen",
                "Schulden en verslaving; sluiting van de woning dreigt.",
                "Begeleiding gestart; wekelijks contact.",
            ),
            steps: vec![
                ("verwezen", 280, None),
                ("terugkoppeling-ontvangen", 250, None),
            ],
            party: None,
        },
        // Feedback overdue.
        Plan {
            kind: K::CareReferral,
            title: "Zorgverwijzing jongere Selwerd",
            address: "",
            case: None,
            details: referral(
                "zorg-en-veiligheidshuis",
                "Jongere betrokken bij drugsrunnen; risico op uitbuiting.",
                "",
            ),
            steps: vec![("verwezen", 60, None)],
            party: None,
        },
        Plan {
            kind: K::PartnerReferral,
            title: "Verwijzing naar de Belastingdienst: contante geldstromen kapsalon",
            address: "",
            case: Some("witwassen"),
            details: referral(
                "belastingdienst",
                "Contante omzet past niet bij het aantal klanten.",
                "",
            ),
            steps: vec![("verwezen", 14, None)],
            party: None,
        },
        Plan {
            kind: K::PartnerReferral,
            title: "Verwijzing naar het RIEC: mogelijke uitbuiting uitzendbureau",
            address: "",
            case: Some("mensenhandel"),
            details: referral(
                "riec",
                "Signalen over huisvesting en loon van arbeidsmigranten.",
                "Opgenomen in het RIEC-casusoverleg.",
            ),
            steps: vec![
                ("verwezen", 100, None),
                ("terugkoppeling-ontvangen", 80, None),
            ],
            party: None,
        },
    ]
}

/// Approximate centres of the places the plans name (WGS84), to show them on the map.
const PLACES: [(&str, f64, f64); 12] = [
    ("Siersteenlaan", 53.2290, 6.5300),
    ("Eemsgolaan", 53.2040, 6.6000),
    ("Bedumerweg", 53.2300, 6.5800),
    ("Zonnelaan", 53.2370, 6.5480),
    ("Kieviet", 53.2280, 6.6260),
    ("Schilderswijk", 53.2270, 6.5800),
    ("Korreweg", 53.2320, 6.5800),
    ("Zuiderweg", 53.2130, 6.5020),
    ("Westpoort", 53.2170, 6.4890),
    ("Binnenstad", 53.2190, 6.5680),
    ("Eemspoort", 53.2120, 6.6200),
    ("Grote Markt", 53.2187, 6.5680),
];

fn place(text: &str) -> Option<baken_core::signal::Coordinates> {
    PLACES
        .iter()
        .find(|(name, _, _)| text.contains(name))
        .and_then(|(_, lat, lon)| {
            baken_core::signal::Coordinates::parse(&lat.to_string(), &lon.to_string()).ok()
        })
}

/// Registers the year of interventions; returns how many.
pub(crate) async fn interventions(
    store: &dyn Store,
    (analist, bibob): (&Caller, &Caller),
    cases: &[DemoCase],
    now: OffsetDateTime,
) -> Result<usize, StoreError> {
    let today = baken_core::calendar::local_date(now);
    let plans = plans(today);
    let count = plans.len();
    let mut used: Vec<uuid::Uuid> = Vec::new();
    let mut created: Vec<(&'static str, uuid::Uuid)> = Vec::new();
    for plan in plans {
        let by = if plan.kind.in_bibob_compartment() {
            bibob
        } else {
            analist
        };
        let case = plan.case.and_then(|theme| {
            let found = cases
                .iter()
                .find(|c| c.theme == theme && !used.contains(&c.id))
                .or_else(|| cases.iter().find(|c| c.theme == theme))
                .map(|c| c.id);
            used.extend(found);
            found
        });
        let opened_on = plan
            .steps
            .first()
            .map_or(today, |(_, days, _)| today - Duration::days((*days).max(0)));
        let details = plan.details.parse(plan.kind).map_err(StoreError::Invalid)?;
        let id = store
            .create_intervention(
                by,
                NewIntervention {
                    kind: plan.kind,
                    title: plan.title.into(),
                    case,
                    object: None,
                    address: plan.address.into(),
                    location: place(plan.address).or_else(|| place(plan.title)),
                    opened_on,
                    details,
                },
                now,
            )
            .await?;
        for (step, days, length) in plan.steps {
            let on = today - Duration::days(days);
            let new = NewStep {
                step: step.into(),
                on,
                length,
                note: String::new(),
            };
            store.record_step(by, id, new, now).await?;
        }
        if let Some((name, role)) = plan.party {
            let party = NewParty {
                name: name.into(),
                role,
                dossier: None,
            };
            store.add_party(by, id, party, now).await?;
        }
        created.push((plan.title, id));
        if plan.title.contains("Zernike") {
            let disclosure = NewArt28 {
                exception: Art28Recipient::Riec,
                recipient: "RIEC Noord-Nederland".into(),
                reason: "Ondersteuning bij de toepassing van de Wet Bibob op de vervolgtransactie."
                    .into(),
                disclosed_on: today - Duration::days(100),
            };
            store.disclose_bibob(by, id, disclosure, now).await?;
        }
    }
    // What followed a control: the business-park control led to the closure of a unit.
    let find = |part: &str| {
        created
            .iter()
            .find(|(title, _)| title.contains(part))
            .map(|(_, id)| *id)
    };
    if let (Some(control), Some(closure)) = (
        find("bedrijventerrein Zuidoost"),
        find("bedrijfsunit Zuidoost"),
    ) {
        store
            .link_intervention(
                analist,
                control,
                baken_core::intervention::LinkTarget::Intervention(closure),
                now,
            )
            .await?;
    }
    Ok(count)
}
