//! A signal's page: detail, history, status changes and assignment.

use super::*;
use baken_app::labels::Label;
use baken_core::signal::CorrectedField;

pub(super) struct HistoryRow {
    at: String,
    by: String,
    from: &'static str,
    to: &'static str,
    reason: String,
}

/// One correction as the signal's page shows it.
pub(super) struct CorrectionRow {
    at: String,
    by: String,
    reason: String,
    /// (field, before, after), in words.
    changes: Vec<(&'static str, String, String)>,
}

/// A corrected field's stored value in words: labels for codes and slugs, theme and
/// indicator names, subjects and relations line by line; "–" for nothing.
fn correction_value(field: CorrectedField, value: &str, catalogue: &Catalogue) -> String {
    use baken_core::model::SubjectKind;
    use baken_core::subject::{RelationKind, SubjectRole};
    fn word<T: Label>(parsed: Result<T, baken_core::validation::Problem>, value: &str) -> String {
        parsed.map_or_else(|_| value.to_string(), |v| v.label().to_string())
    }
    if value.is_empty() {
        return "–".into();
    }
    let codes =
        |name: &dyn Fn(&str) -> String| value.split(", ").map(name).collect::<Vec<_>>().join(", ");
    match field {
        CorrectedField::Classification => word(Classification::parse(value), value),
        CorrectedField::Sharing => word(Sharing::parse(value), value),
        CorrectedField::SourceReliability => word(SourceReliability::parse(value), value),
        CorrectedField::InformationCredibility => word(InformationCredibility::parse(value), value),
        CorrectedField::ObservedOn => {
            time::Date::parse(value, format_description!("[year]-[month]-[day]"))
                .map_or_else(|_| value.to_string(), date_text)
        }
        CorrectedField::Themes => codes(&|t| catalogue.theme_name(t).to_string()),
        CorrectedField::Indicators => codes(&|i| {
            catalogue
                .indicator(i)
                .map_or(i.to_string(), |(_, ind)| ind.name.clone())
        }),
        CorrectedField::Subjects => value
            .lines()
            .map(|line| {
                let Some((head, what)) = line.split_once(": ") else {
                    return line.to_string();
                };
                match head.split_once(' ') {
                    Some((kind, role)) => format!(
                        "{} ({}): {what}",
                        word(SubjectKind::parse(kind), kind),
                        word(SubjectRole::parse(role), role).to_lowercase()
                    ),
                    None => line.to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
        CorrectedField::Relations => value
            .lines()
            .map(|line| {
                let parts: Vec<&str> = line.split(' ').collect();
                match parts.as_slice() {
                    [from, _, to, kind] => format!(
                        "betrokkene {from} {} betrokkene {to}",
                        word(RelationKind::parse(kind), kind)
                    ),
                    _ => line.to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
        CorrectedField::Title
        | CorrectedField::Description
        | CorrectedField::Area
        | CorrectedField::Coordinates
        | CorrectedField::Address => value.to_string(),
    }
}

/// An area the signal lies in, linked to its page.
pub(super) struct AreaLink {
    kind: &'static str,
    code: String,
    text: String,
}

#[derive(Template)]
#[template(path = "signal.html")]
pub(super) struct SignalPage {
    nav: Option<Nav>,
    csrf: String,
    s: baken_core::signal::Signal,
    notice: Option<&'static str>,
    received: String,
    observed: Option<String>,
    areas: Vec<AreaLink>,
    themes: String,
    indicators: String,
    retention: String,
    allowed: Vec<SelectOption>,
    errors: Vec<baken_app::wording::FieldMessage>,
    history: Vec<HistoryRow>,
    corrections: Vec<CorrectionRow>,
    /// Whether the reader may correct the signal (the page links to the form).
    may_correct: bool,
    subjects: Vec<SubjectRow>,
    relations: Vec<String>,
    public_report: Option<baken_store::PublicReportInfo>,
    deadline: Option<String>,
    overdue: bool,
    assigned: String,
    assignees: Vec<SelectOption>,
    /// The organisation's barriers to tag the signal with (for an analist).
    barrier_options: Vec<SelectOption>,
    /// Interventions the signal followed from (linked to it), as far as the reader sees them.
    interventions: Vec<crate::interventions::ListRow>,
}

pub(super) struct SubjectRow {
    id: Uuid,
    number: usize,
    kind: &'static str,
    role: &'static str,
    display: String,
    original: String,
    /// The legal basis a BSN was recorded under (shown only to those who may record one).
    bsn_basis: Option<String>,
}

/// Renders a signal's page; loads what the page needs besides the signal itself.
pub(super) async fn render_signal(
    state: &AppState,
    session: &Session,
    d: SignalDetail,
    status: StatusCode,
    notice: Option<&'static str>,
    errors: Vec<baken_app::wording::FieldMessage>,
) -> Response {
    let catalogue = match state.store.catalogue().await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    let can_triage = !d.allowed_next.is_empty();
    let assignees = if can_triage {
        match state.store.assignable_users(&session.caller).await {
            Ok(users) => users,
            Err(e) => return internal(e),
        }
    } else {
        Vec::new()
    };
    let today = state.clock.today();
    let shows_bsn = state.config.intake.bsn.basis_for(&session.caller).is_some();
    let mut page = signal_page_for(
        session,
        &catalogue,
        d,
        (notice, errors),
        (today, can_triage, &assignees),
    );
    if !shows_bsn {
        for subject in &mut page.subjects {
            subject.bsn_basis = None;
        }
    }
    page.barrier_options = match crate::barriers::barrier_options(state, session).await {
        Ok(options) => options,
        Err(e) => return internal(e),
    };
    page.interventions = match crate::interventions::linked_to(
        state,
        session,
        baken_core::intervention::LinkTarget::Signal(page.s.id),
    )
    .await
    {
        Ok(rows) => rows,
        Err(e) => return internal(e),
    };
    render(status, &page)
}

pub(super) fn signal_page_for(
    session: &Session,
    catalogue: &Catalogue,
    d: SignalDetail,
    (notice, errors): (Option<&'static str>, Vec<baken_app::wording::FieldMessage>),
    (today, can_triage, assignees): (time::Date, bool, &[User]),
) -> SignalPage {
    let number_of = |id: Uuid| {
        d.subjects
            .iter()
            .position(|m| m.subject.id == id)
            .map_or(0, |p| p + 1)
    };
    let relations = d
        .relations
        .iter()
        .map(|r| {
            let mut text = format!(
                "Betrokkene {} {} betrokkene {}",
                number_of(r.from),
                r.kind.label(),
                number_of(r.to)
            );
            match (r.valid_from, r.valid_until) {
                (Some(f), Some(u)) => text.push_str(&format!(
                    " (van {} tot en met {})",
                    date_text(f),
                    date_text(u)
                )),
                (Some(f), None) => text.push_str(&format!(" (sinds {})", date_text(f))),
                (None, Some(u)) => text.push_str(&format!(" (tot en met {})", date_text(u))),
                (None, None) => {}
            }
            text
        })
        .collect();
    let subjects = d
        .subjects
        .iter()
        .enumerate()
        .map(|(i, m)| SubjectRow {
            id: m.subject.id,
            number: i + 1,
            kind: m.subject.kind.label(),
            role: m.role.label(),
            display: m.subject.details.display(),
            original: m.subject.original.clone(),
            bsn_basis: m.bsn_basis.clone(),
        })
        .collect();
    let corrections = d
        .corrections
        .iter()
        .map(|c| CorrectionRow {
            at: moment(c.at),
            by: c.by_name.clone(),
            reason: c.reason.clone(),
            changes: c
                .changes
                .iter()
                .map(|ch| {
                    (
                        ch.field.label(),
                        correction_value(ch.field, &ch.old, catalogue),
                        correction_value(ch.field, &ch.new, catalogue),
                    )
                })
                .collect(),
        })
        .collect();
    let s = d.signal;
    let may_correct =
        session
            .caller
            .may_correct_signal(s.classification, s.owner_org, s.created_by);
    SignalPage {
        corrections,
        may_correct,
        barrier_options: Vec::new(),
        interventions: Vec::new(),
        nav: session.nav(),
        csrf: session.csrf.clone(),
        notice,
        received: moment(s.received_at),
        observed: s.observed_on.map(date_text),
        areas: s
            .areas
            .iter()
            .map(|a| AreaLink {
                kind: a.kind.label(),
                code: a.code.clone(),
                text: placed_text(a),
            })
            .collect(),
        themes: s
            .themes
            .iter()
            .map(|t| catalogue.theme_name(t))
            .collect::<Vec<_>>()
            .join(", "),
        indicators: s
            .indicators
            .iter()
            .map(|i| {
                catalogue
                    .indicator(i)
                    .map_or(i.as_str(), |(_, ind)| ind.name.as_str())
            })
            .collect::<Vec<_>>()
            .join("; "),
        retention: date_text(s.retention_until),
        allowed: d
            .allowed_next
            .iter()
            .map(|st| SelectOption {
                value: st.slug().into(),
                label: st.label().into(),
                selected: false,
            })
            .collect(),
        errors,
        history: d
            .history
            .iter()
            .map(|h| HistoryRow {
                at: moment(h.at),
                by: h.by_name.clone(),
                from: h.from.map_or("–", SignalStatus::label),
                to: h.to.label(),
                reason: baken_app::wording::history_reason(h),
            })
            .collect(),
        subjects,
        relations,
        public_report: d.public_report,
        deadline: s.deadline.map(date_text),
        overdue: is_overdue(&s, today),
        assigned: baken_app::wording::assignee(
            s.assigned_user_name.as_deref(),
            s.assigned_team.as_deref(),
        ),
        assignees: if can_triage {
            let mut options = vec![SelectOption {
                value: String::new(),
                label: "Niemand".into(),
                selected: s.assigned_user.is_none(),
            }];
            options.extend(assignees.iter().map(|u| SelectOption {
                value: u.id.to_string(),
                label: u.display_name.clone(),
                selected: s.assigned_user == Some(u.id),
            }));
            options
        } else {
            Vec::new()
        },
        s,
    }
}

#[derive(serde::Deserialize)]
pub(super) struct DetailQuery {
    opgeslagen: Option<String>,
    gewijzigd: Option<String>,
    toegewezen: Option<String>,
    gecorrigeerd: Option<String>,
}

pub(super) async fn signal_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<DetailQuery>,
) -> Response {
    let not_found = || store_error(&session, StoreError::NotFound);
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found();
    };
    let now = state.clock.now();
    match state.store.signal(&session.caller, id, now).await {
        Ok(detail) => {
            let notice = if q.opgeslagen.is_some() {
                Some("Het signaal is opgeslagen.")
            } else if q.gewijzigd.is_some() {
                Some("De status is gewijzigd.")
            } else if q.toegewezen.is_some() {
                Some("Het signaal is toegewezen.")
            } else if q.gecorrigeerd.is_some() {
                Some("De correctie is opgeslagen.")
            } else {
                None
            };
            render_signal(&state, &session, detail, StatusCode::OK, notice, Vec::new()).await
        }
        Err(e) => store_error(&session, e),
    }
}

pub(super) async fn change_status(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    let Ok(id) = Uuid::parse_str(&id) else {
        return store_error(&session, StoreError::NotFound);
    };
    let now = state.clock.now();
    let parsed = StatusChange::parse(form.one("status"), form.one("reason"));
    let errors = match parsed {
        Ok(change) => match state
            .ops
            .change_signal_status(&session.caller, id, change)
            .await
        {
            Ok(_) => return Redirect::to(&format!("/signalen/{id}?gewijzigd=1")).into_response(),
            Err(StoreError::Transition(refused)) => {
                let mut e = ValidationErrors::new();
                e.push("status", refused);
                e
            }
            Err(other) => return store_error(&session, other),
        },
        Err(errors) => errors,
    };
    match state.store.signal(&session.caller, id, now).await {
        Ok(detail) => {
            render_signal(
                &state,
                &session,
                detail,
                StatusCode::BAD_REQUEST,
                None,
                baken_app::wording::messages(&errors),
            )
            .await
        }
        Err(e) => store_error(&session, e),
    }
}

pub(super) async fn assign(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    let Ok(id) = Uuid::parse_str(&id) else {
        return store_error(&session, StoreError::NotFound);
    };
    let now = state.clock.now();
    let errors = match baken_core::signal::Assignment::parse(
        form.one("assignee"),
        form.one("team"),
        form.one("reason"),
    ) {
        Ok(assignment) => match state
            .ops
            .assign_signal(&session.caller, id, assignment)
            .await
            .map_err(baken_app::wording::worded)
        {
            Ok(_) => return Redirect::to(&format!("/signalen/{id}?toegewezen=1")).into_response(),
            Err(StoreError::Invalid(errors)) => errors,
            Err(other) => return store_error(&session, other),
        },
        Err(errors) => errors,
    };
    match state.store.signal(&session.caller, id, now).await {
        Ok(detail) => {
            render_signal(
                &state,
                &session,
                detail,
                StatusCode::BAD_REQUEST,
                None,
                baken_app::wording::messages(&errors),
            )
            .await
        }
        Err(e) => store_error(&session, e),
    }
}
