//! The register of interventions (issue 15): the list, registering one (from a case or on
//! its own), and its page — the procedure's terms and steps, the step form that offers only
//! the steps allowed now, the details, the people involved and (Bibob) the art. 28
//! disclosures. What the store refuses comes back on the page with the field named.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use baken_app::labels::{procedure_label, Label, ProcedureWord};
use baken_core::intervention::flow::TermStatus;
use baken_core::intervention::{
    Art28Recipient, InterventionDetail, InterventionFilter, InterventionKind, InterventionSummary,
    NewIntervention, PartyRole, RawIntervention,
};
use baken_core::page::PageRequest;
use baken_core::procedure::LengthUnit;
use baken_core::ValidationErrors;
use baken_store::StoreError;
use std::collections::HashMap;
use uuid::Uuid;

use crate::intervention_fields::{detail_fields, raw_details, FieldView};
use crate::ui::{date_text, message, options, refused, render, Form, Nav, SelectOption, Session};
use crate::AppState;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/interventies", list)
        .get("/interventies/nieuw", new_form)
        .get(
            "/interventies/cijfers",
            crate::intervention_figures::figures,
        )
        .post("/interventies/nieuw", create)
        .get("/interventies/{id}", page)
        .merge(crate::intervention_forms::routes())
}

/// An intervention that does not exist or may not be seen: one sentence for both.
pub(crate) const MISSING: &str = "Deze interventie bestaat niet of u heeft er geen toegang toe.";

/// Whether the caller's roles can see any intervention (the store decides which).
pub(crate) fn sees_interventions(session: &Session) -> bool {
    session.caller.may_see_cases() || session.caller.has(baken_core::Role::BibobCoordinator)
}

pub(crate) fn no_access(session: &Session) -> Response {
    message(
        StatusCode::FORBIDDEN,
        session.nav(),
        "Niet toegestaan",
        "Uw rol geeft geen toegang tot het interventieregister.",
    )
}

/// A term in words.
pub(crate) struct TermRow {
    pub(crate) name: &'static str,
    pub(crate) when: String,
    pub(crate) urgency: &'static str,
    pub(crate) overdue: bool,
}

pub(crate) fn term_row(kind: InterventionKind, t: &TermStatus) -> TermRow {
    let when = match (t.due_on, t.suspended_since, t.met_on) {
        (Some(d), _, _) => format!("uiterlijk {}", date_text(d)),
        (_, Some(d), _) => format!("opgeschort sinds {}", date_text(d)),
        (_, _, Some(d)) => format!("gehaald op {}", date_text(d)),
        _ => String::new(),
    };
    TermRow {
        name: procedure_label(kind, ProcedureWord::Term, t.term),
        when,
        urgency: t.urgency.label(),
        overdue: t.urgency == baken_core::intervention::flow::UrgencyName::Overdue,
    }
}

/// The interventions the reader may see that are linked to `target` (none for a role that
/// sees no interventions).
pub(crate) async fn linked_to(
    state: &AppState,
    session: &Session,
    target: baken_core::intervention::LinkTarget,
) -> Result<Vec<ListRow>, StoreError> {
    if !sees_interventions(session) {
        return Ok(Vec::new());
    }
    let filter = InterventionFilter {
        linked_to: Some(target),
        ..InterventionFilter::default()
    };
    Ok(state
        .store
        .interventions(
            &session.caller,
            filter,
            PageRequest::LONG_LIST,
            state.clock.now(),
        )
        .await?
        .items
        .iter()
        .map(list_row)
        .collect())
}

/// An intervention as lists show it.
pub(crate) struct ListRow {
    pub(crate) id: Uuid,
    pub(crate) kind: &'static str,
    pub(crate) title: String,
    pub(crate) state: &'static str,
    pub(crate) opened: String,
    pub(crate) owner: String,
    pub(crate) term: Option<TermRow>,
}

pub(crate) fn list_row(s: &InterventionSummary) -> ListRow {
    ListRow {
        id: s.id,
        kind: s.kind.label(),
        title: s.title.clone(),
        state: procedure_label(s.kind, ProcedureWord::State, s.state),
        opened: date_text(s.opened_on),
        owner: s.owner_name.clone(),
        term: s.next_term.as_ref().map(|t| term_row(s.kind, t)),
    }
}

#[derive(Template)]
#[template(path = "interventions.html")]
struct ListPage {
    nav: Option<Nav>,
    rows: Vec<ListRow>,
    pager: crate::ui::pager::Pager,
    kinds: Vec<SelectOption>,
    may_register: bool,
}

async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if !sees_interventions(&session) {
        return no_access(&session);
    }
    let chosen = q.get("soort").map(String::as_str).unwrap_or("").trim();
    // A kind that does not exist is an error, not the whole list.
    let kind = match chosen {
        "" => None,
        given => match InterventionKind::parse(given) {
            Ok(kind) => Some(kind),
            Err(_) => {
                return message(
                    StatusCode::BAD_REQUEST,
                    session.nav(),
                    "Onbekende soort",
                    &format!(
                        "Er is geen soort interventie '{given}'. Kies een soort uit de lijst."
                    ),
                )
            }
        },
    };
    let Some(page) = crate::ui::pager::requested(q.get("cursor").map(String::as_str)) else {
        let first = match &kind {
            Some(kind) => format!("/interventies?soort={}", kind.slug()),
            None => "/interventies".to_string(),
        };
        return crate::ui::unknown_page(&session, &first);
    };
    let filter = InterventionFilter {
        kind,
        ..InterventionFilter::default()
    };
    match state
        .store
        .interventions(&session.caller, filter, page, state.clock.now())
        .await
    {
        Ok(list) => render(
            StatusCode::OK,
            &ListPage {
                nav: session.nav(),
                pager: crate::ui::pager::Pager::of(
                    &match kind {
                        Some(kind) => format!("/interventies?soort={}", kind.slug()),
                        None => "/interventies".to_string(),
                    },
                    (&list, page),
                    ("interventie", "interventies"),
                ),
                rows: list.items.iter().map(list_row).collect(),
                kinds: kind_options(&session, chosen, Visibility::Seen),
                may_register: InterventionKind::ALL
                    .iter()
                    .any(|k| session.caller.may_register_intervention(*k)),
            },
        ),
        Err(e) => refused(&session, e, MISSING),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Visibility {
    /// The kinds the caller may see (filter).
    Seen,
    /// The kinds the caller may register.
    Registered,
}

fn kind_options(session: &Session, chosen: &str, which: Visibility) -> Vec<SelectOption> {
    let mut kinds: Vec<InterventionKind> = InterventionKind::ALL.to_vec();
    match which {
        Visibility::Registered => kinds.retain(|k| session.caller.may_register_intervention(*k)),
        Visibility::Seen => kinds.retain(|k| {
            !k.in_bibob_compartment() || session.caller.has(baken_core::Role::BibobCoordinator)
        }),
    }
    options(
        &kinds,
        InterventionKind::slug,
        InterventionKind::label,
        chosen,
    )
}

#[derive(Template)]
#[template(path = "intervention_form.html")]
struct NewPage {
    nav: Option<Nav>,
    csrf: String,
    kinds: Vec<SelectOption>,
    kind: Option<(&'static str, &'static str)>,
    case: Option<(Uuid, String)>,
    title: String,
    object: String,
    address: String,
    latitude: String,
    longitude: String,
    opened_on: String,
    fields: Vec<FieldView>,
    errors: Vec<baken_app::wording::FieldMessage>,
}

async fn new_page(
    state: &AppState,
    session: &Session,
    (raw, errors): (&RawIntervention, ValidationErrors),
    status: StatusCode,
) -> Response {
    let kind = InterventionKind::parse(&raw.kind)
        .ok()
        .filter(|k| session.caller.may_register_intervention(*k));
    let case = match Uuid::parse_str(raw.case.trim()) {
        // Registering an intervention on the case is a change of it.
        Ok(id) => match state
            .store
            .case(
                &session.caller,
                id,
                Some(&baken_core::access::DossierReason::own_change()),
                state.clock.now(),
            )
            .await
        {
            Ok(c) => Some((id, c.case.title)),
            Err(e) => return refused(session, e, crate::cases::MISSING),
        },
        Err(_) => None,
    };
    render(
        status,
        &NewPage {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            kinds: kind_options(session, &raw.kind, Visibility::Registered),
            kind: kind.map(|k| (k.slug(), k.label())),
            case,
            title: raw.title.clone(),
            object: raw.object.clone(),
            address: raw.address.clone(),
            latitude: raw.latitude.clone(),
            longitude: raw.longitude.clone(),
            opened_on: raw.opened_on.clone(),
            fields: kind
                .map(|k| detail_fields(k, &raw.details, &errors))
                .unwrap_or_default(),
            errors: baken_app::wording::messages(&errors),
        },
    )
}

/// Refuses roles that may register no kind of intervention.
fn may_register(session: &Session) -> Result<(), Box<Response>> {
    if InterventionKind::ALL
        .iter()
        .any(|k| session.caller.may_register_intervention(*k))
    {
        Ok(())
    } else {
        Err(Box::new(refused(
            session,
            StoreError::Forbidden(baken_core::access::Denied::RegisterIntervention),
            MISSING,
        )))
    }
}

async fn new_form(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Err(r) = may_register(&session) {
        return *r;
    }
    let raw = RawIntervention {
        kind: q.get("soort").cloned().unwrap_or_default(),
        case: q.get("casus").cloned().unwrap_or_default(),
        ..RawIntervention::default()
    };
    new_page(
        &state,
        &session,
        (&raw, ValidationErrors::new()),
        StatusCode::OK,
    )
    .await
}

async fn create(State(state): State<AppState>, session: Session, body: Bytes) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    if let Err(r) = may_register(&session) {
        return *r;
    }
    let raw = RawIntervention {
        kind: form.one("kind").into(),
        title: form.one("title").into(),
        case: form.one("case").into(),
        object: form.one("object").into(),
        address: form.one("address").into(),
        latitude: form.one("latitude").into(),
        longitude: form.one("longitude").into(),
        opened_on: form.one("openedOn").into(),
        details: raw_details(&form),
    };
    let now = state.clock.now();
    let today = baken_core::calendar::local_date(now);
    let outcome = match NewIntervention::parse(&raw, today) {
        Ok(new) => state
            .store
            .create_intervention(&session.caller, new, now)
            .await
            .map_err(baken_app::wording::worded),
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    match outcome {
        Ok(id) => Redirect::to(&format!("/interventies/{id}")).into_response(),
        Err(StoreError::Invalid(errors)) => {
            new_page(&state, &session, (&raw, errors), StatusCode::BAD_REQUEST).await
        }
        Err(e) => refused(&session, e, MISSING),
    }
}

struct StepRow {
    step: &'static str,
    on: String,
    length: String,
    note: String,
    by: String,
}

struct PartyRow {
    name: String,
    role: &'static str,
    dossier: Option<Uuid>,
}

struct DisclosureRow {
    exception: &'static str,
    recipient: String,
    reason: String,
    on: String,
    by: String,
}

#[derive(Template)]
#[template(path = "intervention.html")]
struct Page {
    nav: Option<Nav>,
    csrf: String,
    id: Uuid,
    kind: &'static str,
    bibob: bool,
    title: String,
    state: &'static str,
    case: Option<(Uuid, String)>,
    object: String,
    address: String,
    /// The location as the change form shows it (empty when none).
    latitude: String,
    longitude: String,
    opened: String,
    owner: String,
    terms: Vec<TermRow>,
    steps: Vec<StepRow>,
    next_steps: Vec<SelectOption>,
    needs_length: Vec<&'static str>,
    units: Vec<SelectOption>,
    fields: Vec<FieldView>,
    parties: Vec<PartyRow>,
    roles: Vec<SelectOption>,
    disclosures: Vec<DisclosureRow>,
    exceptions: Vec<SelectOption>,
    may_change: bool,
    care_withheld: bool,
    /// For a 13b closure: the earlier offences and what the escalation matrix proposes.
    proposal: Option<String>,
    barrier_options: Vec<SelectOption>,
    /// What followed, what it followed, field visits: (kind, href, title).
    links: Vec<(&'static str, String, String)>,
    /// The barriers it is tagged with: model and text.
    tagged: Vec<(Uuid, String)>,
    /// Which form was refused, with the values typed and what was wrong.
    failed: &'static str,
    typed: HashMap<String, String>,
    errors: Vec<baken_app::wording::FieldMessage>,
}

impl Page {
    fn val(&self, name: &str) -> &str {
        self.typed.get(name).map_or("", String::as_str)
    }
}

/// What the page shows beside the intervention itself.
pub(crate) struct Extras {
    proposal: Option<String>,
    /// The organisation's barriers to tag it with (for an analist who may change it).
    barriers: Vec<SelectOption>,
}

pub(crate) async fn extras(
    state: &AppState,
    session: &Session,
    d: &InterventionDetail,
) -> Result<Extras, StoreError> {
    let proposal = proposal(state, session, d).await?;
    let barriers = if d.may_change {
        crate::barriers::barrier_options(state, session).await?
    } else {
        Vec::new()
    };
    Ok(Extras { proposal, barriers })
}

/// For a 13b closure: its earlier offences and the escalation matrix's proposal, in words.
async fn proposal(
    state: &AppState,
    session: &Session,
    d: &InterventionDetail,
) -> Result<Option<String>, StoreError> {
    use baken_core::intervention::details::Details;
    use baken_core::intervention::escalation::{DrugCategory, MeasureKind};
    let Details::Closure(details) = &d.details else {
        return Ok(None);
    };
    let policy = &state.config.escalation;
    let recidive = state
        .store
        .recidive(
            &session.caller,
            d.summary.id,
            policy.look_back_months,
            state.clock.now(),
        )
        .await?;
    let people = if d.parties.iter().any(|p| p.dossier.is_some()) {
        format!("{} bij deze betrokkenen", recidive.of_people)
    } else {
        "geen betrokkenen uit een dossier om na te gaan".to_string()
    };
    let earlier = format!(
        "Eerder binnen {} maanden: {} op dit pand, {people}",
        recidive.look_back_months, recidive.on_premises
    );
    let (Some(premises), Some(drugs)) = (details.premises_kind, DrugCategory::of(details)) else {
        return Ok(Some(format!(
            "{earlier}. Vul woning of lokaal en de aangetroffen drugs in voor een voorstel volgens de handhavingsmatrix."
        )));
    };
    Ok(Some(
        match policy.propose(premises, drugs, recidive.earlier()) {
            Some(p) => format!(
                "{earlier}. Voorstel voor overtreding {} ({}, {}): {}.",
                p.offence,
                premises.label(),
                drugs.label(),
                match (p.measure, p.months) {
                    (MeasureKind::Closure, Some(m)) => format!("sluiting voor {m} maanden"),
                    (MeasureKind::Closure, None) => "sluiting".to_string(),
                    (MeasureKind::Warning, _) => "een waarschuwing".to_string(),
                }
            ),
            None => {
                format!("{earlier}. De handhavingsmatrix heeft geen regel voor deze combinatie.")
            }
        },
    ))
}

pub(crate) fn show(
    session: &Session,
    d: InterventionDetail,
    (refusal, extras): (Option<(&'static str, &Form, ValidationErrors)>, Extras),
    status: StatusCode,
) -> Response {
    let kind = d.summary.kind;
    let (failed, typed, errors) = match refusal {
        Some((which, form, errors)) => (which, form.typed().into_iter().collect(), errors),
        None => ("", HashMap::new(), ValidationErrors::new()),
    };
    let raw = if failed == "gegevens" {
        let typed_form = Form::from_pairs(typed.clone().into_iter().collect());
        raw_details(&typed_form)
    } else {
        d.details.to_raw()
    };
    let field_errors = if failed == "gegevens" {
        errors.clone()
    } else {
        ValidationErrors::new()
    };
    render(
        status,
        &Page {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            id: d.summary.id,
            kind: kind.label(),
            bibob: kind.in_bibob_compartment(),
            title: d.summary.title.clone(),
            state: procedure_label(kind, ProcedureWord::State, d.summary.state),
            case: d
                .summary
                .case_id
                .map(|c| (c, d.case_title.clone().unwrap_or_default())),
            object: d.summary.object.clone().unwrap_or_default(),
            address: d.summary.address.clone(),
            latitude: d
                .summary
                .location
                .map(|c| c.latitude().to_string())
                .unwrap_or_default(),
            longitude: d
                .summary
                .location
                .map(|c| c.longitude().to_string())
                .unwrap_or_default(),
            opened: date_text(d.summary.opened_on),
            owner: d.summary.owner_name.clone(),
            terms: d.terms.iter().map(|t| term_row(kind, t)).collect(),
            steps: d
                .steps
                .iter()
                .map(|s| StepRow {
                    step: procedure_label(kind, ProcedureWord::Step, &s.step),
                    on: date_text(s.on),
                    length: match (s.length, s.unit) {
                        (Some(n), Some(u)) => format!("{n} {}", u.label()),
                        _ => String::new(),
                    },
                    note: s.note.clone(),
                    by: s.recorded_by.clone(),
                })
                .collect(),
            next_steps: d
                .next_steps
                .iter()
                .map(|n| SelectOption {
                    value: n.step.to_string(),
                    label: procedure_label(kind, ProcedureWord::Step, n.step).to_string(),
                    selected: typed.get("step").is_some_and(|s| s == n.step),
                })
                .collect(),
            needs_length: d
                .next_steps
                .iter()
                .filter(|n| n.needs_length)
                .map(|n| procedure_label(kind, ProcedureWord::Step, n.step))
                .collect(),
            units: options(
                LengthUnit::ALL,
                LengthUnit::slug,
                LengthUnit::label,
                typed.get("unit").map_or("weken", String::as_str),
            ),
            fields: detail_fields(kind, &raw, &field_errors),
            parties: d
                .parties
                .iter()
                .map(|p| PartyRow {
                    name: p.name.clone(),
                    role: p.role.label(),
                    dossier: p.dossier,
                })
                .collect(),
            roles: {
                let fitting: Vec<PartyRole> = PartyRole::ALL
                    .iter()
                    .copied()
                    .filter(|r| r.fits(kind))
                    .collect();
                options(&fitting, PartyRole::slug, PartyRole::label, "")
            },
            care_withheld: d.care_withheld,
            disclosures: d
                .disclosures
                .iter()
                .map(|x| DisclosureRow {
                    exception: x.exception.label(),
                    recipient: x.recipient.clone(),
                    reason: x.reason.clone(),
                    on: date_text(x.disclosed_on),
                    by: x.recorded_by.clone(),
                })
                .collect(),
            exceptions: options(
                Art28Recipient::ALL,
                Art28Recipient::slug,
                Art28Recipient::label,
                typed.get("exception").map_or("", String::as_str),
            ),
            may_change: d.may_change,
            proposal: extras.proposal,
            barrier_options: extras.barriers,
            links: d
                .links
                .iter()
                .map(|l| {
                    use baken_core::intervention::LinkKind as L;
                    let href = match l.kind {
                        L::Signal => format!("/signalen/{}", l.id),
                        L::FollowUp | L::FollowedFrom => format!("/interventies/{}", l.id),
                        L::Visit => format!("/veld/{}", l.id),
                    };
                    let title = match l.on {
                        Some(on) if l.title.is_empty() => date_text(on),
                        Some(on) => format!("{}, {}", date_text(on), l.title),
                        None => l.title.clone(),
                    };
                    (l.kind.label(), href, title)
                })
                .collect(),
            tagged: d
                .barriers
                .iter()
                .map(|b| (b.model, b.text.clone()))
                .collect(),
            failed,
            typed,
            errors: baken_app::wording::messages(&errors)
                .into_iter()
                .map(|mut m| {
                    if let Some(label) = field_label(&m.field) {
                        m.message = format!("{label}: {}", m.message);
                    }
                    m
                })
                .collect(),
        },
    )
}

/// The name a field of the page's small forms goes by, to say which one a problem is in.
fn field_label(field: &str) -> Option<&'static str> {
    Some(match field {
        "step" => "Stap",
        "on" => "Datum",
        "length" => "Termijn",
        "unit" => "Eenheid",
        "note" => "Toelichting",
        "title" => "Titel",
        "object" => "BAG-id",
        "address" => "Adres",
        "latitude" => "Breedtegraad",
        "longitude" => "Lengtegraad",
        "name" => "Naam",
        "role" => "Rol",
        "dossier" => "Dossiernummer",
        "exception" => "Uitzondering",
        "recipient" => "Ontvanger",
        "reason" => "Reden",
        "disclosedOn" => "Datum van verstrekking",
        "signal" | "intervention" | "visit" => "Nummer",
        _ => return None,
    })
}

async fn page(State(state): State<AppState>, session: Session, Path(id): Path<String>) -> Response {
    if !sees_interventions(&session) {
        return no_access(&session);
    }
    let Ok(id) = Uuid::parse_str(&id) else {
        return refused(&session, StoreError::NotFound, MISSING);
    };
    match state
        .store
        .intervention(&session.caller, id, state.clock.now())
        .await
    {
        Ok(d) => match extras(&state, &session, &d).await {
            Ok(p) => show(&session, d, (None, p), StatusCode::OK),
            Err(e) => refused(&session, e, MISSING),
        },
        Err(e) => refused(&session, e, MISSING),
    }
}
