//! Areas and the beheerder's catalogue.

use super::*;

pub(super) struct AreaGroup {
    title: &'static str,
    areas: Vec<baken_core::model::Area>,
}

#[derive(Template)]
#[template(path = "areas.html")]
pub(super) struct AreasPage {
    nav: Option<Nav>,
    groups: Vec<AreaGroup>,
}

pub(super) async fn area_list(State(state): State<AppState>, session: Session) -> Response {
    use baken_core::model::AreaKind;
    let mut groups = Vec::new();
    for (kind, title) in [
        (AreaKind::Gemeente, "Gemeenten"),
        (AreaKind::Wijk, "Wijken"),
        (AreaKind::Bedrijventerrein, "Bedrijventerreinen"),
        (AreaKind::Buitengebied, "Buitengebied"),
    ] {
        match state.store.areas(kind).await {
            Ok(areas) if !areas.is_empty() => groups.push(AreaGroup { title, areas }),
            Ok(_) => {}
            Err(e) => return internal(e),
        }
    }
    render(
        StatusCode::OK,
        &AreasPage {
            nav: session.nav(),
            groups,
        },
    )
}

// ------------------------------------------------------------------ catalogue (beheerder)

pub(super) struct ThemeAdmin {
    code: String,
    name: String,
    deadline: String,
    indicators: Vec<baken_core::catalogue::Indicator>,
}

#[derive(Template)]
#[template(path = "catalogue.html")]
pub(super) struct CataloguePage {
    nav: Option<Nav>,
    csrf: String,
    themes: Vec<ThemeAdmin>,
    default_days: u32,
    notice: Option<&'static str>,
    errors: Vec<baken_app::wording::FieldMessage>,
}

pub(super) async fn catalogue_view(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    notice: Option<&'static str>,
    errors: Vec<baken_app::wording::FieldMessage>,
) -> Response {
    if !session.caller.may_manage_catalogue() {
        return message(
            StatusCode::FORBIDDEN,
            session.nav(),
            "Niet toegestaan",
            "Alleen een beheerder beheert de catalogus.",
        );
    }
    let catalogue = match state.store.catalogue().await {
        Ok(c) => std::sync::Arc::unwrap_or_clone(c),
        Err(e) => return internal(e),
    };
    let themes = catalogue
        .themes
        .into_iter()
        .map(|t| ThemeAdmin {
            deadline: t
                .deadline_working_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            code: t.code,
            name: t.name,
            indicators: t.indicators,
        })
        .collect();
    render(
        status,
        &CataloguePage {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            themes,
            default_days: baken_core::deadline::DeadlinePolicy::default().default_working_days,
            notice,
            errors,
        },
    )
}

#[derive(serde::Deserialize)]
pub(super) struct SavedQuery {
    opgeslagen: Option<String>,
}

pub(super) async fn catalogue_page(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<SavedQuery>,
) -> Response {
    let notice = q
        .opgeslagen
        .is_some()
        .then_some("De catalogus is bijgewerkt.");
    catalogue_view(&state, &session, StatusCode::OK, notice, Vec::new()).await
}

pub(super) async fn apply_catalogue_change(
    state: &AppState,
    session: &Session,
    change: Result<baken_core::catalogue::CatalogueChange, ValidationErrors>,
) -> Response {
    let errors = match change {
        Ok(change) => match state
            .store
            .change_catalogue(&session.caller, change, state.clock.now())
            .await
            .map_err(baken_app::wording::worded)
        {
            Ok(()) => return Redirect::to("/beheer/catalogus?opgeslagen=1").into_response(),
            Err(StoreError::Invalid(errors)) => errors,
            Err(e) => return store_error(session, e),
        },
        Err(errors) => errors,
    };
    catalogue_view(
        state,
        session,
        StatusCode::BAD_REQUEST,
        None,
        baken_app::wording::messages(&errors),
    )
    .await
}

pub(super) async fn change_theme(
    State(state): State<AppState>,
    session: Session,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    let change = baken_core::catalogue::CatalogueChange::theme(
        form.one("code"),
        form.one("name"),
        form.one("deadlineWorkingDays"),
    );
    apply_catalogue_change(&state, &session, change).await
}

pub(super) async fn change_indicator(
    State(state): State<AppState>,
    session: Session,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    let change = baken_core::catalogue::CatalogueChange::indicator(
        form.one("theme"),
        form.one("code"),
        form.one("name"),
    );
    apply_catalogue_change(&state, &session, change).await
}
