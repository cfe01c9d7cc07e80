//! The case table's meetings (issue 14): the list, planning a meeting from the proposed
//! agenda, the meeting page (what each partner brought in, the discussion, the decisions and
//! their actions) and the minutes per recipient. The forms that record at a meeting are
//! `meeting_forms.rs`'s.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use baken_app::labels::Label;
use baken_core::decision::{Action, Decision};
use baken_core::meeting::{AgendaItem, MeetingDetail, NewMeeting, Participant, RawMeeting};
use baken_core::ValidationErrors;
use baken_store::StoreError;
use uuid::Uuid;

use crate::ui::pager::{CursorQuery, Pager};
use crate::ui::{date_text, internal, message, render, Form, Nav, SelectOption, Session};
use crate::AppState;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/overleggen", list)
        .get("/overleggen/nieuw", new_meeting)
        .post("/overleggen/nieuw", create_meeting)
        .get("/overleggen/{id}", meeting_page)
        .get("/overleggen/{id}/verslag", crate::minutes::page)
        .get("/overleggen/{id}/verslag.pdf", crate::minutes::pdf)
        .get("/acties", my_actions)
        .merge(crate::meeting_forms::routes())
}

/// A meeting that does not exist or may not be seen: one sentence for both.
pub(crate) const MISSING: &str = "Dit overleg bestaat niet of u heeft er geen toegang toe.";

pub(crate) fn not_found(session: &Session) -> Response {
    message(
        StatusCode::NOT_FOUND,
        session.nav(),
        "Niet gevonden",
        MISSING,
    )
}

pub(crate) fn no_cases(session: &Session) -> Response {
    message(
        StatusCode::FORBIDDEN,
        session.nav(),
        "Niet toegestaan",
        "Uw rol geeft geen toegang tot de casustafel.",
    )
}

/// An action as lists show it.
pub(crate) struct ActionRow {
    pub(crate) id: Uuid,
    pub(crate) case_id: Uuid,
    pub(crate) case_title: String,
    pub(crate) description: String,
    pub(crate) owner: String,
    pub(crate) due: String,
    pub(crate) overdue: bool,
    pub(crate) status: &'static str,
    pub(crate) open: bool,
    pub(crate) intervention: String,
    /// The reader may mark it done, cancelled or open again.
    pub(crate) may_change: bool,
}

pub(crate) fn action_row(a: &Action, today: time::Date) -> ActionRow {
    ActionRow {
        id: a.id,
        case_id: a.case_id,
        case_title: a.case_title.clone(),
        description: a.description.clone(),
        owner: a.owner_name.clone(),
        due: date_text(a.due_on),
        overdue: a.is_overdue(today),
        status: a.status.label(),
        open: a.status == baken_core::decision::ActionStatus::Open,
        intervention: a.intervention.clone().unwrap_or_default(),
        may_change: a.may_change,
    }
}

/// What was typed into a form at a meeting that was refused: shown again, in the case's
/// item, with what was wrong.
pub(crate) struct Draft {
    pub(crate) case: Uuid,
    /// Which form: `inbreng`, `bespreking`, `besluit` or `actie`.
    pub(crate) form: &'static str,
    pub(crate) values: Vec<(String, String)>,
    pub(crate) errors: ValidationErrors,
}

/// A decision with its whole motivation, in words.
pub(crate) struct DecisionRow {
    pub(crate) id: Uuid,
    pub(crate) date: String,
    pub(crate) approaches: String,
    pub(crate) decision: String,
    pub(crate) suitable: String,
    pub(crate) necessary: String,
    pub(crate) balanced: String,
    pub(crate) care: String,
    pub(crate) not_chosen: String,
    pub(crate) superseded: bool,
    pub(crate) supersedes: bool,
    pub(crate) by: String,
}

pub(crate) fn decision_row(d: &Decision) -> DecisionRow {
    DecisionRow {
        id: d.id,
        date: date_text(d.decided_on),
        approaches: d
            .approaches
            .iter()
            .map(|a| a.label())
            .collect::<Vec<_>>()
            .join(", "),
        decision: d.decision.clone(),
        suitable: d.proportionality.suitable.clone(),
        necessary: d.proportionality.necessary.clone(),
        balanced: d.proportionality.balanced.clone(),
        care: format!(
            "{}: {}",
            if d.care.was_considered() { "Ja" } else { "Nee" },
            d.care.why()
        ),
        not_chosen: d.not_chosen.clone(),
        superseded: d.superseded_by.is_some(),
        supersedes: d.supersedes.is_some(),
        by: d.recorded_by.clone(),
    }
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct MeetingsPage {
    nav: Option<Nav>,
    may_plan: bool,
    meetings: Vec<MeetingRow>,
    pager: Pager,
}

struct MeetingRow {
    id: Uuid,
    title: String,
    date: String,
    chair: String,
    cases: usize,
}

async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<CursorQuery>,
) -> Response {
    if !session.caller.may_see_cases() {
        return no_cases(&session);
    }
    let Some(page) = query.page() else {
        return crate::ui::unknown_page(&session, "/overleggen");
    };
    match state
        .store
        .meetings(&session.caller, page, state.clock.now())
        .await
    {
        Ok(meetings) => render(
            StatusCode::OK,
            &MeetingsPage {
                nav: session.nav(),
                may_plan: session.caller.may_plan_meeting(),
                pager: Pager::of("/overleggen", (&meetings, page), ("overleg", "overleggen")),
                meetings: meetings
                    .items
                    .into_iter()
                    .map(|m| MeetingRow {
                        id: m.id,
                        title: m.title,
                        date: date_text(m.held_on),
                        chair: format!("{} ({})", m.chair_name, m.owner_org_name),
                        cases: m.cases,
                    })
                    .collect(),
            },
        ),
        Err(e) => crate::ui::refused(&session, e, MISSING),
    }
}

struct ProposalRow {
    id: Uuid,
    title: String,
    reasons: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "meeting_form.html")]
struct MeetingFormPage {
    nav: Option<Nav>,
    csrf: String,
    title: String,
    held_on: String,
    proposal: Vec<ProposalRow>,
    organisations: Vec<SelectOption>,
    people: String,
    errors: Vec<baken_app::wording::FieldMessage>,
}

#[derive(serde::Deserialize)]
struct NewQuery {
    datum: Option<String>,
}

fn may_not_plan(session: &Session) -> Response {
    message(
        StatusCode::FORBIDDEN,
        session.nav(),
        "Niet toegestaan",
        baken_app::wording::denied(baken_core::access::Denied::PlanMeeting),
    )
}

/// The planning form: the agenda proposed for the date (checked unless the form said
/// otherwise), the organisations to invite, the people by e-mail address.
async fn meeting_form(
    state: &AppState,
    session: &Session,
    (raw, people): (&RawMeeting, &str),
    errors: ValidationErrors,
    status: StatusCode,
) -> Response {
    let now = state.clock.now();
    let held_on = baken_core::signal::parse_date(&raw.held_on)
        .unwrap_or_else(|_| baken_core::calendar::local_date(now));
    let proposal = match state
        .store
        .agenda_proposal(&session.caller, held_on, now)
        .await
    {
        Ok(p) => p,
        Err(e) => return crate::ui::refused(session, e, MISSING),
    };
    let organisations = match state.store.organisations().await {
        Ok(orgs) => orgs,
        Err(e) => return internal(e),
    };
    let fresh = raw.title.is_empty() && errors.is_empty();
    render(
        status,
        &MeetingFormPage {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            title: raw.title.clone(),
            held_on: baken_core::signal::parse_date(&raw.held_on)
                .map(|d| d.to_string())
                .unwrap_or_else(|_| raw.held_on.clone()),
            proposal: proposal
                .iter()
                .map(|p| ProposalRow {
                    id: p.case.id,
                    title: p.case.title.clone(),
                    reasons: p
                        .reasons
                        .iter()
                        .map(|r| r.label())
                        .collect::<Vec<_>>()
                        .join(", "),
                    checked: fresh || raw.cases.contains(&p.case.id.to_string()),
                })
                .collect(),
            organisations: organisations
                .into_iter()
                .filter(|o| o.id != session.caller.org())
                .map(|o| SelectOption {
                    selected: raw.organisations.contains(&o.id.to_string()),
                    value: o.id.to_string(),
                    label: o.name,
                })
                .collect(),
            people: people.to_string(),
            errors: baken_app::wording::messages(&errors),
        },
    )
}

async fn new_meeting(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<NewQuery>,
) -> Response {
    if !session.caller.may_plan_meeting() {
        return may_not_plan(&session);
    }
    let held_on = q
        .datum
        .unwrap_or_else(|| baken_core::calendar::local_date(state.clock.now()).to_string());
    meeting_form(
        &state,
        &session,
        (
            &RawMeeting {
                held_on,
                ..RawMeeting::default()
            },
            "",
        ),
        ValidationErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// The people named by e-mail address (one per line or separated by commas), as account ids;
/// an address without an active account is named under `people`.
async fn people_by_email(
    state: &AppState,
    text: &str,
    errors: &mut ValidationErrors,
) -> Result<Vec<String>, StoreError> {
    let mut ids = Vec::new();
    for email in text
        .split([',', '\n', ';'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .take(baken_core::meeting::MAX_LISTED + 1)
    {
        match state.store.user_by_email(email).await? {
            Some(user) if user.active => ids.push(user.id.to_string()),
            _ => errors.push_worded(
                "people",
                format!("geen actieve gebruiker met e-mailadres {email}"),
            ),
        }
    }
    Ok(ids)
}

async fn create_meeting(State(state): State<AppState>, session: Session, body: Bytes) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    if !session.caller.may_plan_meeting() {
        return may_not_plan(&session);
    }
    let people_text = form.one("people").to_string();
    let mut errors = ValidationErrors::new();
    let people = match people_by_email(&state, &people_text, &mut errors).await {
        Ok(p) => p,
        Err(e) => return internal(e),
    };
    let raw = RawMeeting {
        title: form.one("title").to_string(),
        held_on: form.one("heldOn").to_string(),
        organisations: form.all("organisations"),
        people,
        cases: form.all("cases"),
    };
    let outcome = match (NewMeeting::parse(&raw), errors.is_empty()) {
        (Ok(meeting), true) => state
            .store
            .create_meeting(&session.caller, meeting, state.clock.now())
            .await
            .map_err(baken_app::wording::worded),
        (Ok(_), false) => Err(StoreError::Invalid(errors)),
        (Err(mut parsed), _) => {
            parsed.0.extend(errors.0);
            Err(StoreError::Invalid(parsed))
        }
    };
    let errors = match outcome {
        Ok(id) => return Redirect::to(&format!("/overleggen/{id}")).into_response(),
        Err(StoreError::Invalid(e)) => e,
        Err(e) => return crate::ui::refused(&session, e, MISSING),
    };
    meeting_form(
        &state,
        &session,
        (&raw, &people_text),
        errors,
        StatusCode::BAD_REQUEST,
    )
    .await
}

pub(crate) struct DisclosureRow {
    pub(crate) organisation: String,
    pub(crate) basis: String,
    pub(crate) recipients: String,
    pub(crate) summary: Option<String>,
    pub(crate) not_shareable: bool,
}

pub(crate) struct ItemRow {
    pub(crate) case_id: Uuid,
    pub(crate) title: String,
    pub(crate) status: &'static str,
    pub(crate) reasons: String,
    pub(crate) disclosures: Vec<DisclosureRow>,
    pub(crate) discussion: String,
    pub(crate) decisions: Vec<DecisionRow>,
    /// The decision actions are added to: the latest at this meeting that is still current.
    pub(crate) current_decision: Option<Uuid>,
    /// Actions of the decisions taken at this meeting.
    pub(crate) actions: Vec<ActionRow>,
    /// Open actions of earlier decisions that were past their deadline on the meeting's day.
    pub(crate) overdue_before: Vec<ActionRow>,
    /// A refused form of this item, shown again.
    draft: Option<(&'static str, Vec<(String, String)>)>,
    pub(crate) errors: Vec<baken_app::wording::FieldMessage>,
}

impl ItemRow {
    /// What was typed into field `name` of the refused form `form`, or nothing.
    pub(crate) fn v(&self, form: &str, name: &str) -> &str {
        match &self.draft {
            Some((f, values)) if *f == form => values
                .iter()
                .find(|(k, _)| k == name)
                .map_or("", |(_, v)| v.as_str()),
            _ => "",
        }
    }

    /// Whether `value` was chosen for `name` in the refused form `form`.
    pub(crate) fn has(&self, form: &str, name: &str, value: &str) -> bool {
        matches!(&self.draft, Some((f, values)) if *f == form
            && values.iter().any(|(k, v)| k == name && v == value))
    }

    /// Whether the refused form was `form` (it is shown open).
    pub(crate) fn is_open(&self, form: &str) -> bool {
        matches!(&self.draft, Some((f, _)) if *f == form)
    }
}

pub(crate) fn item_row(item: &AgendaItem, today: time::Date, draft: Option<&Draft>) -> ItemRow {
    let draft = draft.filter(|d| d.case == item.case.id);
    ItemRow {
        draft: draft.map(|d| (d.form, d.values.clone())),
        errors: draft
            .map(|d| baken_app::wording::messages(&d.errors))
            .unwrap_or_default(),
        case_id: item.case.id,
        title: item.case.title.clone(),
        status: item.case.status.label(),
        reasons: item
            .reasons
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join(", "),
        disclosures: item
            .disclosures
            .iter()
            .map(|d| DisclosureRow {
                organisation: d.organisation_name.clone(),
                basis: match &d.agreement_name {
                    Some(name) => format!("{} ({name})", d.basis.label()),
                    None => d.basis.label().to_string(),
                },
                recipients: d.recipients.join(", "),
                summary: d.summary.clone(),
                not_shareable: d.basis == baken_core::meeting::DisclosureBasis::NotShareable,
            })
            .collect(),
        discussion: item.discussion.clone(),
        decisions: item.decisions.iter().map(decision_row).collect(),
        current_decision: item
            .decisions
            .iter()
            .rev()
            .find(|d| d.superseded_by.is_none())
            .map(|d| d.id),
        actions: item.actions.iter().map(|a| action_row(a, today)).collect(),
        overdue_before: item
            .overdue_before
            .iter()
            .map(|a| action_row(a, today))
            .collect(),
    }
}

pub(crate) fn participants_text(participants: &[Participant]) -> String {
    participants
        .iter()
        .map(|p| match p {
            Participant::Organisation { name, .. } => name.clone(),
            Participant::User {
                name, organisation, ..
            } => format!("{name} ({organisation})"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct MeetingPage {
    nav: Option<Nav>,
    csrf: String,
    id: Uuid,
    title: String,
    date: String,
    chair: String,
    participants: String,
    items: Vec<ItemRow>,
    may_run: bool,
    /// The organisations at the table, for disclosures, recipients, owners and minutes.
    table: Vec<SelectOption>,
    agreements: Vec<SelectOption>,
    bases: Vec<SelectOption>,
    approaches: Vec<SelectOption>,
    /// The case whose form was refused (its item shows what was wrong).
    failed_case: Option<(Uuid, String)>,
}

/// The organisations at a meeting's table (holding organisation first, then those taking
/// part and those of the people taking part), as options.
pub(crate) fn table_options(
    detail: &MeetingDetail,
    orgs: &[baken_core::model::Organisation],
) -> Vec<SelectOption> {
    let mut seen = vec![(
        detail.meeting.owner_org,
        detail.meeting.owner_org_name.clone(),
    )];
    for p in &detail.participants {
        match p {
            Participant::Organisation { id, name } => seen.push((*id, name.clone())),
            Participant::User { organisation, .. } => {
                if let Some(o) = orgs.iter().find(|o| &o.name == organisation) {
                    seen.push((o.id, o.name.clone()));
                }
            }
        }
    }
    let mut out: Vec<SelectOption> = Vec::new();
    for (id, name) in seen {
        if !out.iter().any(|o| o.value == id.to_string()) {
            out.push(SelectOption {
                value: id.to_string(),
                label: name,
                selected: false,
            });
        }
    }
    out
}

pub(crate) async fn show(
    state: &AppState,
    session: &Session,
    detail: MeetingDetail,
    draft: Option<Draft>,
    status: StatusCode,
) -> Response {
    let today = baken_core::calendar::local_date(state.clock.now());
    let (table, agreements) = if detail.may_run {
        let orgs = match state.store.organisations().await {
            Ok(o) => o,
            Err(e) => return internal(e),
        };
        let agreements = match state.store.agreements().await {
            Ok(a) => a,
            Err(e) => return internal(e),
        };
        (
            table_options(&detail, &orgs),
            agreements
                .into_iter()
                .map(|a| SelectOption {
                    value: a.id.to_string(),
                    label: a.name,
                    selected: false,
                })
                .collect(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let m = &detail.meeting;
    render(
        status,
        &MeetingPage {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            id: m.id,
            title: m.title.clone(),
            date: date_text(m.held_on),
            chair: format!("{} ({})", m.chair_name, m.owner_org_name),
            participants: participants_text(&detail.participants),
            items: detail
                .items
                .iter()
                .map(|i| item_row(i, today, draft.as_ref()))
                .collect(),
            may_run: detail.may_run,
            table,
            agreements,
            bases: crate::ui::options(
                baken_core::meeting::DisclosureBasis::ALL,
                baken_core::meeting::DisclosureBasis::slug,
                baken_core::meeting::DisclosureBasis::label,
                "",
            ),
            approaches: crate::ui::options(
                baken_core::decision::Approach::ALL,
                baken_core::decision::Approach::slug,
                baken_core::decision::Approach::label,
                "",
            ),
            failed_case: draft.as_ref().and_then(|d| {
                detail
                    .items
                    .iter()
                    .find(|i| i.case.id == d.case)
                    .map(|i| (i.case.id, i.case.title.clone()))
            }),
        },
    )
}

async fn meeting_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Response {
    if !session.caller.may_see_cases() {
        return no_cases(&session);
    }
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found(&session);
    };
    match state
        .store
        .meeting(&session.caller, id, state.clock.now())
        .await
    {
        Ok(detail) => show(&state, &session, detail, None, StatusCode::OK).await,
        Err(e) => crate::ui::refused(&session, e, MISSING),
    }
}

#[derive(Template)]
#[template(path = "actions.html")]
struct ActionsPage {
    nav: Option<Nav>,
    csrf: String,
    actions: Vec<ActionRow>,
}

async fn my_actions(State(state): State<AppState>, session: Session) -> Response {
    if !session.caller.may_see_cases() {
        return no_cases(&session);
    }
    let now = state.clock.now();
    match state.store.my_actions(&session.caller, now).await {
        Ok(actions) => {
            let today = baken_core::calendar::local_date(now);
            render(
                StatusCode::OK,
                &ActionsPage {
                    nav: session.nav(),
                    csrf: session.csrf.clone(),
                    actions: actions.iter().map(|a| action_row(a, today)).collect(),
                },
            )
        }
        Err(e) => crate::ui::refused(&session, e, MISSING),
    }
}
