//! Correcting a signal in the browser: intake's form, filled with the signal as it is, with a
//! reason; what changed is shown on the signal's page.

use super::*;
use baken_core::signal::SignalCorrection;

/// The signal and the catalogue, if the caller may correct it; otherwise the page to show.
async fn correctable(
    state: &AppState,
    session: &Session,
    id: &str,
) -> Result<(SignalDetail, Catalogue), Response> {
    let Ok(id) = Uuid::parse_str(id) else {
        return Err(store_error(session, StoreError::NotFound));
    };
    let detail = state
        .store
        .signal(&session.caller, id, state.clock.now())
        .await
        .map_err(|e| store_error(session, e))?;
    let s = &detail.signal;
    if !session
        .caller
        .may_correct_signal(s.classification, s.owner_org, s.created_by)
    {
        return Err(message(
            StatusCode::FORBIDDEN,
            session.nav(),
            "Niet toegestaan",
            "Uw rol mag dit signaal niet corrigeren.",
        ));
    }
    let catalogue = state.store.catalogue().await.map_err(internal)?;
    Ok((detail, std::sync::Arc::unwrap_or_clone(catalogue)))
}

pub(super) async fn correction_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Response {
    let (detail, catalogue) = match correctable(&state, &session, &id).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let input = SignalInput::from_signal(&detail.signal, &detail.subjects, &detail.relations);
    let purpose = FormPurpose::Correct {
        id: detail.signal.id,
        reason: String::new(),
    };
    let blocks = (input.subjects.len() + 1).clamp(2, 48);
    render(
        StatusCode::OK,
        &signal_form_page(
            (&session, state.config.intake.bsn.basis_for(&session.caller)),
            &catalogue,
            (&purpose, &input),
            &ValidationErrors::new(),
            blocks,
        ),
    )
}

pub(super) async fn correct_signal(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    let (detail, catalogue) = match correctable(&state, &session, &id).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    let input = input_from_form(&form);
    let id = detail.signal.id;
    let purpose = FormPurpose::Correct {
        id,
        reason: form.one("reason").to_string(),
    };
    let blocks = subject_block_count(&form, &input);
    let bsn_basis = state.config.intake.bsn.basis_for(&session.caller);
    let page = |errors: &ValidationErrors, blocks: usize| {
        signal_form_page(
            (&session, bsn_basis),
            &catalogue,
            (&purpose, &input),
            errors,
            blocks,
        )
    };
    if form.one("action") == "meer-betrokkenen" {
        return render(StatusCode::OK, &page(&ValidationErrors::new(), blocks + 2));
    }
    let parsed = SignalCorrection::parse(
        &input,
        form.one("reason"),
        &detail.signal,
        &catalogue,
        &session.caller,
        &state.config.intake,
        state.clock.now(),
    );
    match parsed {
        Err(errors) => render(StatusCode::BAD_REQUEST, &page(&errors, blocks)),
        Ok(correction) => match state
            .ops
            .correct_signal(&session.caller, id, correction)
            .await
        {
            Ok(_) => Redirect::to(&format!("/signalen/{id}?gecorrigeerd=1")).into_response(),
            Err(e) => store_error(&session, e),
        },
    }
}
