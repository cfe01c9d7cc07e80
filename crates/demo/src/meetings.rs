//! The demo's case-table meetings: three past meetings, eight, five and two weeks ago, chaired
//! by the voorzitter with the police, the water board and the case-table member at the table.
//! They discuss the latest drugs and mensenhandel cases: what each partner brought in (once
//! information the police could not share), decisions with their motivation (once care chosen
//! over enforcement, once a later decision superseding an earlier one) and actions, some done,
//! some open, some past their deadline. All text is invented.

use crate::case_table::DemoCase;
use baken_core::decision::{ActionStatus, NewAction, NewDecision, RawAction, RawDecision};
use baken_core::meeting::{
    DiscussionSummary, NewDisclosure, NewMeeting, RawDisclosure, RawMeeting,
};
use baken_core::Caller;
use baken_store::{Store, StoreError};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// Who sits at the table.
pub(crate) struct Table {
    pub(crate) municipality: Uuid,
    pub(crate) police: Uuid,
    pub(crate) water_board: Uuid,
    /// The case-table member, at every meeting in person.
    pub(crate) member: Uuid,
}

/// A case is closed this long after it was opened (`case_table.rs`).
const CLOSED_AFTER: Duration = Duration::days(120);

fn invalid(e: baken_core::ValidationErrors) -> StoreError {
    StoreError::Invalid(e)
}

fn disclosure(
    from: Uuid,
    basis: &str,
    agreement: Option<Uuid>,
    recipients: &[Uuid],
    summary: &str,
) -> Result<NewDisclosure, StoreError> {
    NewDisclosure::parse(&RawDisclosure {
        organisation: from.to_string(),
        basis: basis.into(),
        agreement: agreement.map(|a| a.to_string()).unwrap_or_default(),
        summary: summary.into(),
        recipients: recipients.iter().map(Uuid::to_string).collect(),
    })
    .map_err(invalid)
}

/// A decision: approaches, what, geschikt, noodzakelijk, evenwichtig, care (ja/nee, why),
/// not chosen.
fn decision(parts: [&str; 8]) -> Result<NewDecision, StoreError> {
    let [approaches, decision, suitable, necessary, balanced, care, why, not_chosen] = parts;
    NewDecision::parse(&RawDecision {
        approaches: approaches.split(',').map(str::to_string).collect(),
        decision: decision.into(),
        suitable: suitable.into(),
        necessary: necessary.into(),
        balanced: balanced.into(),
        care_considered: care.into(),
        care_reason: why.into(),
        not_chosen: not_chosen.into(),
    })
    .map_err(invalid)
}

fn action(
    description: &str,
    (organisation, person): (Option<Uuid>, Option<Uuid>),
    due: OffsetDateTime,
) -> Result<NewAction, StoreError> {
    NewAction::parse(&RawAction {
        description: description.into(),
        owner_organisation: organisation.map(|o| o.to_string()).unwrap_or_default(),
        owner_user: person.map(|p| p.to_string()).unwrap_or_default(),
        due_on: baken_core::calendar::local_date(due).to_string(),
        intervention: String::new(),
    })
    .map_err(invalid)
}

/// The cases to discuss: the latest drugs and mensenhandel cases opened before the first
/// meeting that are still open now or were closed before it (those are reopened at it, so
/// every case's history stays in order).
fn pick(cases: &[DemoCase], first: OffsetDateTime, now: OffsetDateTime) -> Vec<(Uuid, bool)> {
    let mut fitting: Vec<&DemoCase> = cases
        .iter()
        .filter(|c| matches!(c.theme, "drugs" | "mensenhandel"))
        .filter(|c| c.opened + Duration::days(1) < first)
        .filter(|c| c.opened + CLOSED_AFTER > now || c.opened + CLOSED_AFTER < first)
        .collect();
    fitting.sort_by_key(|c| std::cmp::Reverse(c.opened));
    let mut out = Vec::new();
    for theme in ["drugs", "mensenhandel", "drugs"] {
        if let Some(pos) = fitting.iter().position(|c| c.theme == theme) {
            let c = fitting.remove(pos);
            out.push((c.id, c.opened + CLOSED_AFTER <= now));
        }
    }
    out
}

pub(crate) async fn meetings(
    store: &dyn Store,
    (chair, analist): (&Caller, &Caller),
    table: Table,
    cases: &[DemoCase],
    now: OffsetDateTime,
) -> Result<usize, StoreError> {
    let at = [
        now - Duration::weeks(8),
        now - Duration::weeks(5),
        now - Duration::weeks(2),
    ];
    let picked = pick(cases, at[0], now);
    let [(lab, lab_closed), (salon, salon_closed), (dump, dump_closed)] = picked[..] else {
        // Too few cases to tell the story (a demo with little data): no meetings.
        return Ok(0);
    };
    for (case, closed) in [
        (lab, lab_closed),
        (salon, salon_closed),
        (dump, dump_closed),
    ] {
        if closed {
            let change = baken_core::case::CaseStatusChange {
                to: baken_core::case::CaseStatus::Active,
                reason: "Heropend voor de casustafel: nieuwe signalen".into(),
            };
            store
                .change_case_status(analist, case, change, at[0] - Duration::hours(1))
                .await?;
        }
    }
    let convenant = store
        .agreements()
        .await?
        .into_iter()
        .find(|a| a.parties.contains(&table.police))
        .map(|a| a.id);
    let Table {
        municipality,
        police,
        water_board,
        member,
    } = table;
    let plan = |held: OffsetDateTime, title: &str, agenda: &[Uuid]| {
        let day = baken_core::calendar::local_date(held);
        const MONTHS: [&str; 12] = [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ];
        let month = MONTHS[usize::from(u8::from(day.month())) - 1];
        NewMeeting::parse(&RawMeeting {
            title: format!("{title} {} {month}", day.day()),
            held_on: baken_core::calendar::local_date(held).to_string(),
            organisations: vec![police.to_string(), water_board.to_string()],
            people: vec![member.to_string()],
            cases: agenda.iter().map(Uuid::to_string).collect(),
        })
        .map_err(invalid)
    };

    // Meeting 1: the drugs lab and the nail salon.
    let m1 = store
        .create_meeting(
            chair,
            plan(at[0], "Casustafel ondermijning", &[lab, salon])?,
            at[0],
        )
        .await?;
    let t = at[0] + Duration::minutes(10);
    store
        .record_disclosure(
            chair,
            (m1, lab),
            disclosure(
                police,
                "convenant",
                convenant,
                &[municipality],
                "Twee meldingen van stankoverlast en een hoog stroomverbruik op het adres; de huurder \
                 is bekend van een eerdere hennepzaak.",
            )?,
            t,
        )
        .await?;
    store
        .record_disclosure(
            chair,
            (m1, lab),
            disclosure(
                municipality,
                "wgs",
                None,
                &[police, water_board],
                "Het pand staat op naam van een bv zonder activiteiten; de huur wordt contant betaald.",
            )?,
            t,
        )
        .await?;
    store
        .record_discussion(
            chair,
            (m1, lab),
            &DiscussionSummary::parse("Alle signalen wijzen op een bedrijfsmatige kwekerij. De politie plant een inval; de \
             gemeente bereidt een sluiting voor.").map_err(invalid)?,
            t,
        )
        .await?;
    let lab_first = store
        .record_decision(
            chair,
            (m1, lab),
            decision([
                "bestuurlijk,strafrechtelijk",
                "Inval door de politie; de burgemeester bereidt een sluiting op grond van art. 13b Opiumwet voor.",
                "Ontmanteling stopt de teelt; een sluiting voorkomt dat het pand opnieuw wordt gebruikt.",
                "Een waarschuwing is te licht bij een bedrijfsmatige kwekerij met brandgevaar.",
                "Het pand is een bedrijfsruimte; niemand verliest er zijn woning door.",
                "nee",
                "Er wonen geen mensen in het pand en er zijn geen aanwijzingen voor kwetsbaarheid.",
                "Alleen een bestuurlijke waarschuwing; alleen strafrechtelijk optreden zonder sluiting.",
            ])?,
            t,
        )
        .await?;
    let raid = store
        .add_action(
            chair,
            lab_first,
            action(
                "Inval en ontmanteling plannen",
                (Some(police), None),
                at[0] + Duration::weeks(3),
            )?,
            t,
        )
        .await?;
    store
        .change_action_status(chair, raid, ActionStatus::Done, at[0] + Duration::weeks(2))
        .await?;
    store
        .add_action(
            chair,
            lab_first,
            action(
                "Voornemen tot sluiting opstellen",
                (Some(municipality), None),
                at[0] + Duration::weeks(4),
            )?,
            t,
        )
        .await?;
    // The salon: the police hold information they cannot share; care before enforcement.
    store
        .record_disclosure(
            chair,
            (m1, salon),
            disclosure(
                police,
                "niet-deelbaar",
                None,
                &[],
                "De politie heeft informatie uit een lopend strafrechtelijk onderzoek die hier niet \
                 gedeeld kan worden; contact via de recherche.",
            )?,
            t,
        )
        .await?;
    store
        .record_discussion(
            chair,
            (m1, salon),
            &DiscussionSummary::parse("De medewerkster lijkt slachtoffer, niet dader. Eerst hulp; handhaving later als de \
             eigenaar in beeld is.").map_err(invalid)?,
            t,
        )
        .await?;
    let care = store
        .record_decision(
            chair,
            (m1, salon),
            decision([
                "zorg",
                "Hulp aanbieden via het Zorg- en Veiligheidshuis; geen handhaving tegen de medewerkster.",
                "Hulpverlening haalt een mogelijk slachtoffer uit de afhankelijkheid.",
                "Zonder hulp blijft zij in de situatie; handhaving bereikt de uitbuiter nu niet.",
                "De last voor de medewerkster is klein, het belang van haar veiligheid groot.",
                "ja",
                "Signalen van uitbuiting en schulden: zorg gaat hier voor.",
                "Sluiting van de salon en een last onder dwangsom: die treffen het slachtoffer, niet de uitbuiter.",
            ])?,
            t,
        )
        .await?;
    store
        .add_action(
            chair,
            care,
            action(
                "Aanmelden bij het Zorg- en Veiligheidshuis",
                (None, Some(member)),
                at[0] + Duration::weeks(2),
            )?,
            t,
        )
        .await?;

    // Meeting 2: the dumping of drugs waste (and the lab, for its overdue action).
    let m2 = store
        .create_meeting(
            chair,
            plan(at[1], "Casustafel ondermijning", &[dump, lab])?,
            at[1],
        )
        .await?;
    let t = at[1] + Duration::minutes(10);
    store
        .record_disclosure(
            chair,
            (m2, dump),
            disclosure(
                water_board,
                "wgs",
                None,
                &[municipality, police],
                "Lozing van chemisch afval in de sloot naast het pand; monsters wijzen op drugsafval.",
            )?,
            t,
        )
        .await?;
    let dumped = store
        .record_decision(
            chair,
            (m2, dump),
            decision([
                "bestuurlijk,fiscaal",
                "Controle met waterschap en Belastingdienst; kosten van de sanering verhalen.",
                "De controle brengt de bron in beeld; verhaal van kosten raakt het verdienmodel.",
                "De lozing gaat door zolang niemand optreedt.",
                "Alleen de eigenaar van het terrein wordt aangesproken.",
                "nee",
                "Geen bewoners of kwetsbare betrokkenen bekend.",
                "Strafrechtelijk onderzoek: de politie heeft geen capaciteit en te weinig aanwijzingen.",
            ])?,
            t,
        )
        .await?;
    store
        .add_action(
            chair,
            dumped,
            action(
                "Bodem- en watermonsters laten nemen",
                (Some(water_board), None),
                at[1] + Duration::weeks(6),
            )?,
            t,
        )
        .await?;

    // Meeting 3: the lab again; after the raid a closure supersedes the first decision.
    let m3 = store
        .create_meeting(
            chair,
            plan(at[2], "Casustafel ondermijning", &[lab])?,
            at[2],
        )
        .await?;
    let t = at[2] + Duration::minutes(10);
    let closure = store
        .record_decision(
            chair,
            (m3, lab),
            decision([
                "bestuurlijk",
                "Sluiting van het pand voor zes maanden op grond van art. 13b Opiumwet.",
                "De sluiting haalt het pand uit het criminele circuit.",
                "Na de inval is opnieuw stroomverbruik gemeten: een waarschuwing volstaat niet.",
                "Zes maanden past bij een eerste overtreding met een handelshoeveelheid.",
                "nee",
                "Bedrijfsruimte zonder bewoners.",
                "Sluiting voor twaalf maanden: niet in verhouding bij een eerste overtreding.",
            ])?,
            t,
        )
        .await?;
    store
        .add_action(
            chair,
            closure,
            action(
                "Sluitingsbesluit bekendmaken en pand verzegelen",
                (Some(municipality), None),
                at[2] + Duration::weeks(3),
            )?,
            t,
        )
        .await?;
    Ok(3)
}
