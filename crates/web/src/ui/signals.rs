//! The overview and the list of signals.

use super::*;
use baken_app::labels::Label;
use baken_core::page::{Side, Total};

pub(super) struct CountRow {
    code: String,
    label: String,
    shown: String,
}

#[derive(Template)]
#[template(path = "overview.html")]
pub(super) struct OverviewPage {
    nav: Option<Nav>,
    overview: baken_store::Overview,
    sees_signals: bool,
    statuses: Vec<CountRow>,
    themes: Vec<CountRow>,
    /// Counts below this are shown as "<threshold" (the configured suppression).
    threshold: u64,
    /// The open actions of the case table the user or their organisation carries out.
    actions: Vec<crate::meetings::ActionRow>,
    overdue_actions: usize,
    /// Terms of the user's interventions that are overdue or due within five working days.
    deadlines: Vec<DeadlineRow>,
}

struct DeadlineRow {
    intervention: uuid::Uuid,
    title: String,
    term: crate::interventions::TermRow,
}

pub(super) async fn overview(State(state): State<AppState>, session: Session) -> Response {
    let now = state.clock.now();
    let (overview, catalogue) = match (
        state
            .store
            .overview(&session.caller, state.config.suppression, now)
            .await,
        state.store.catalogue().await,
    ) {
        (Ok(o), Ok(c)) => (o, c),
        (Err(e), _) | (_, Err(e)) => return internal(e),
    };
    let actions = if session.caller.may_see_cases() {
        match state.store.my_actions(&session.caller, now).await {
            Ok(a) => a,
            Err(e) => return internal(e),
        }
    } else {
        Vec::new()
    };
    let deadlines = if crate::interventions::sees_interventions(&session) {
        match state.store.deadlines(&session.caller, now).await {
            Ok(d) => d
                .iter()
                .map(|d| DeadlineRow {
                    intervention: d.intervention,
                    title: d.title.clone(),
                    term: crate::interventions::term_row(d.kind, &d.term),
                })
                .collect(),
            Err(e) => return internal(e),
        }
    } else {
        Vec::new()
    };
    let today = baken_core::calendar::local_date(now);
    let actions: Vec<crate::meetings::ActionRow> = actions
        .iter()
        .map(|a| crate::meetings::action_row(a, today))
        .collect();
    let statuses = overview
        .by_status
        .iter()
        .map(|(s, c)| CountRow {
            code: s.slug().into(),
            label: s.label().into(),
            shown: c.shown.clone(),
        })
        .collect();
    let themes = overview
        .by_theme
        .iter()
        .map(|(t, c)| CountRow {
            code: t.clone(),
            label: catalogue.theme_name(t).to_string(),
            shown: c.shown.clone(),
        })
        .collect();
    render(
        StatusCode::OK,
        &OverviewPage {
            nav: session.nav(),
            sees_signals: session.caller.signal_scope() != SignalScope::Nothing,
            overview,
            statuses,
            themes,
            threshold: state.config.suppression.threshold,
            overdue_actions: actions.iter().filter(|a| a.overdue).count(),
            deadlines,
            actions,
        },
    )
}

/// Where a signal lies, for a list: its most specific area and the wijk around it, whether
/// typed or found from the coordinates ("Oosterparkwijk (BU00141004), Oosterpark (WK001410)").
pub(super) fn area_text(s: &baken_core::signal::Signal) -> String {
    let shown: Vec<String> = s
        .areas
        .iter()
        .filter(|a| a.kind != baken_core::model::AreaKind::Gemeente)
        .take(2)
        .map(placed_text)
        .collect();
    if !shown.is_empty() {
        return shown.join(", ");
    }
    match (&s.area_code, &s.area_name) {
        (Some(code), Some(name)) => format!("{name} ({code})"),
        (Some(code), None) => code.clone(),
        _ => String::new(),
    }
}

/// "Oosterpark (WK001410)", or the code alone for an area this installation does not know.
pub(super) fn placed_text(a: &baken_core::signal::PlacedArea) -> String {
    match &a.name {
        Some(name) => format!("{name} ({})", a.code),
        None => a.code.clone(),
    }
}

pub(crate) fn signal_row(
    s: &baken_core::signal::Signal,
    catalogue: &Catalogue,
    today: time::Date,
) -> SignalRow {
    SignalRow {
        deadline: s.deadline.map(date_text).unwrap_or_default(),
        overdue: is_overdue(s, today),
        id: s.id,
        received: day(s.received_at),
        title: s.title.clone(),
        themes: s
            .themes
            .iter()
            .map(|t| catalogue.theme_name(t))
            .collect::<Vec<_>>()
            .join(", "),
        area: area_text(s),
        status: s.status.label(),
        owner: s.owner_org_name.clone(),
    }
}

pub(crate) struct SignalRow {
    pub(crate) id: Uuid,
    pub(crate) received: String,
    pub(crate) title: String,
    pub(crate) themes: String,
    pub(crate) area: String,
    pub(crate) status: &'static str,
    pub(crate) deadline: String,
    pub(crate) overdue: bool,
    pub(crate) owner: String,
}

/// Past its triage deadline and not yet assessed.
pub(super) fn is_overdue(s: &baken_core::signal::Signal, today: time::Date) -> bool {
    s.status.is_overdue(s.deadline, today)
}

#[derive(Template)]
#[template(path = "signals.html")]
pub(super) struct SignalsPage {
    nav: Option<Nav>,
    input: SignalFilterInput,
    errors: Vec<baken_app::wording::FieldMessage>,
    theme_options: Vec<SelectOption>,
    status_options: Vec<SelectOption>,
    rows: Vec<SignalRow>,
    total: String,
    first_href: Option<String>,
    prev_href: Option<String>,
    next_href: Option<String>,
    overdue: bool,
    mine: bool,
    /// What the caller's role lets them see in this list, when it is not everything shared.
    scope_note: Option<&'static str>,
}

/// What a list of signals holds for a caller whose role does not see all shared signals.
fn scope_note(scope: SignalScope) -> Option<&'static str> {
    match scope {
        SignalScope::Nothing => Some(
            "Uw rol ziet geen afzonderlijke signalen: deze lijst blijft leeg. Afgeschermde aantallen per thema, gebied en maand staan op het overzicht, de kaart en in de rapportage.",
        ),
        SignalScope::OwnRegistrations => Some(
            "Uw rol ziet alleen de signalen die u zelf hebt vastgelegd.",
        ),
        SignalScope::OrganisationAndShared { .. } => None,
    }
}

/// The list with the same filters from `cursor` on (`None`: the first page).
pub(super) fn page_href(input: &SignalFilterInput, cursor: Option<String>) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("theme", &input.theme),
        ("status", &input.status),
        ("receivedFrom", &input.received_from),
        ("receivedUntil", &input.received_until),
        ("areaCode", &input.area_code),
        ("q", &input.q),
        ("overdue", &input.overdue),
        ("assignedToMe", &input.assigned_to_me),
        ("pageSize", &input.page_size),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            q.append_pair(k, v);
        }
    }
    if let Some(cursor) = cursor {
        q.append_pair("cursor", &cursor);
    }
    format!("/signalen?{}", q.finish())
}

pub(super) async fn signal_list(
    State(state): State<AppState>,
    session: Session,
    Query(input): Query<SignalFilterInput>,
) -> Response {
    let now = state.clock.now();
    let catalogue = match state.store.catalogue().await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    let theme_options = theme_options(&catalogue, input.theme.as_deref());
    let status_options = options(
        SignalStatus::ALL,
        SignalStatus::slug,
        SignalStatus::label,
        input.status.as_deref().unwrap_or(""),
    );
    let (errors, page) = match input.parse(&catalogue) {
        Err(errors) => (baken_app::wording::messages(&errors), None),
        Ok((filter, page_req)) => match state
            .store
            .list_signals(&session.caller, &filter, page_req, now)
            .await
        {
            Ok(page) => (Vec::new(), Some(page)),
            Err(e) => return store_error(&session, e),
        },
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let (rows, total, next, previous) = match page {
        None => (Vec::new(), Total::Exact(0), None, None),
        Some(p) => (
            p.items
                .iter()
                .map(|s| signal_row(s, &catalogue, baken_core::calendar::local_date(now)))
                .collect(),
            p.total,
            p.next,
            p.previous,
        ),
    };
    let on_first = previous.is_none();
    render(
        status,
        &SignalsPage {
            nav: session.nav(),
            overdue: matches!(input.overdue.as_deref(), Some("true" | "ja" | "1")),
            mine: matches!(input.assigned_to_me.as_deref(), Some("true" | "ja" | "1")),
            first_href: (!on_first).then(|| page_href(&input, None)),
            prev_href: previous.map(|c| page_href(&input, Some(c.token(Side::Before)))),
            next_href: next.map(|c| page_href(&input, Some(c.token(Side::After)))),
            input,
            errors,
            theme_options,
            status_options,
            rows,
            total: baken_app::wording::total_of(total, "signaal", "signalen"),
            scope_note: scope_note(session.caller.signal_scope()),
        },
    )
}
