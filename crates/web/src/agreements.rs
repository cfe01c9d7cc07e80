//! Beheer → Organisaties and Beheer → Convenanten: the beheerder's organisations and sharing
//! agreements in the browser — list and add organisations; list agreements with what each
//! opens to whom, make one, end one on a date (a change is an end and a new agreement). The
//! store refuses anyone but the beheerder and recomputes who sees what.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use baken_app::labels::Label;
use baken_core::access::Denied;
use baken_core::model::{Classification, OrgKind, Organisation, SharingAgreement};
use baken_store::{Actor, NewAgreement, StoreError, Walked};
use uuid::Uuid;

use crate::ui::{date_text, internal, refused, render, Form, Nav, SelectOption, Session};
use crate::AppState;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/beheer/organisaties", organisations_page)
        .post("/beheer/organisaties", add_organisation)
        .get("/beheer/convenanten", agreements_page)
        .post("/beheer/convenanten", add_agreement)
        .post("/beheer/convenanten/{id}/beeindigen", end_agreement)
}

const MISSING: &str = "Dit convenant bestaat niet.";

/// Administration pages are the beheerder's: the refusal for anyone else.
fn not_administering(session: &Session) -> Option<Response> {
    (!session.caller.may_administer())
        .then(|| refused(session, StoreError::Forbidden(Denied::Administer), MISSING))
}

/// What the store refused about the input, in Dutch.
fn words(e: StoreError) -> Result<Vec<String>, StoreError> {
    crate::ui::input_words(e, field_label)
}

fn field_label(field: &str) -> &'static str {
    match field {
        "name" => "Naam",
        "kind" => "Soort",
        "parties" => "Organisaties",
        "legalBasis" => "Grondslag",
        "purposes" => "Doelen",
        "themes" => "Thema's",
        "maxClassification" => "Hoogste classificatie",
        "validFrom" => "Geldig vanaf",
        "validUntil" | "lastDay" => "Laatste dag",
        _ => "Invoer",
    }
}

// ------------------------------------------------------------------ organisations

#[derive(Template)]
#[template(path = "organisations.html")]
struct OrganisationsPage {
    nav: Option<Nav>,
    csrf: String,
    organisations: Vec<(String, &'static str)>,
    kinds: Vec<SelectOption>,
    name: String,
    errors: Vec<String>,
    notice: Option<String>,
}

async fn organisations_view(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    name: String,
    errors: Vec<String>,
    notice: Option<String>,
) -> Response {
    if let Some(r) = not_administering(session) {
        return r;
    }
    let orgs = match state.store.organisations().await {
        Ok(o) => o,
        Err(e) => return internal(e),
    };
    render(
        status,
        &OrganisationsPage {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            organisations: orgs.into_iter().map(|o| (o.name, o.kind.label())).collect(),
            kinds: crate::ui::options(OrgKind::ALL, OrgKind::slug, OrgKind::label, ""),
            name,
            errors,
            notice,
        },
    )
}

async fn organisations_page(State(state): State<AppState>, session: Session) -> Response {
    organisations_view(
        &state,
        &session,
        StatusCode::OK,
        String::new(),
        Vec::new(),
        None,
    )
    .await
}

async fn add_organisation(
    State(state): State<AppState>,
    session: Session,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    let name = form.one("name").trim().to_string();
    let kind = match OrgKind::parse(form.one("kind")) {
        Ok(k) => k,
        Err(p) => {
            let errors = vec![format!("Soort: {}", baken_app::wording::problem(&p))];
            return organisations_view(
                &state,
                &session,
                StatusCode::BAD_REQUEST,
                name,
                errors,
                None,
            )
            .await;
        }
    };
    let actor = Actor::Caller(session.caller.clone());
    match state
        .store
        .create_organisation(&actor, &name, kind, state.clock.now())
        .await
    {
        Ok(org) => {
            let notice = Some(format!("Organisatie {} is toegevoegd.", org.name));
            organisations_view(
                &state,
                &session,
                StatusCode::OK,
                String::new(),
                Vec::new(),
                notice,
            )
            .await
        }
        Err(e) => match words(e) {
            Ok(errors) => {
                organisations_view(
                    &state,
                    &session,
                    StatusCode::BAD_REQUEST,
                    name,
                    errors,
                    None,
                )
                .await
            }
            Err(e) => refused(&session, e, MISSING),
        },
    }
}

// ------------------------------------------------------------------ agreements

/// An agreement as the list shows it, with what it opens in words.
struct AgreementRow {
    id: Uuid,
    name: String,
    legal_basis: String,
    purposes: String,
    parties: String,
    opens: String,
    period: String,
    in_force: bool,
    referral_contact: Option<String>,
}

fn names(orgs: &[Organisation], ids: &[Uuid]) -> Vec<String> {
    ids.iter()
        .map(|id| {
            orgs.iter()
                .find(|o| o.id == *id)
                .map_or_else(|| id.to_string(), |o| o.name.clone())
        })
        .collect()
}

/// "Elke organisatie ziet van de andere de signalen in de thema's ‘Drugs’ en ‘Mensenhandel …’ tot en met
/// vertrouwelijk die de eigenaar volgens convenant deelt."
fn opens(a: &SharingAgreement, themes: &baken_core::catalogue::Catalogue) -> String {
    let theme_names: Vec<String> = a
        .themes
        .iter()
        .map(|t| {
            let name = themes
                .theme(t)
                .map_or_else(|| t.clone(), |x| x.name.clone());
            format!("‘{name}’")
        })
        .collect();
    format!(
        "Elke organisatie ziet van de andere de signalen in {} {} tot en met classificatie {}, \
         als de eigenaar ze volgens convenant deelt. Bibob-informatie gaat nooit mee.",
        if theme_names.len() == 1 {
            "het thema"
        } else {
            "de thema's"
        },
        baken_app::wording::listing(&theme_names),
        a.max_classification.label().to_lowercase()
    )
}

#[derive(Template)]
#[template(path = "agreements.html")]
struct AgreementsPage {
    nav: Option<Nav>,
    csrf: String,
    agreements: Vec<AgreementRow>,
    organisations: Vec<SelectOption>,
    themes: Vec<SelectOption>,
    classifications: Vec<SelectOption>,
    input: AgreementInput,
    errors: Vec<String>,
    notice: Option<String>,
    /// Who sees what is being recomputed after an agreement was made or ended.
    resharing: bool,
}

#[derive(Default)]
struct AgreementInput {
    name: String,
    legal_basis: String,
    purposes: String,
    valid_from: String,
    valid_until: String,
    parties: Vec<String>,
    themes: Vec<String>,
    max: String,
    referral_contact: String,
}

async fn agreements_view(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    input: AgreementInput,
    errors: Vec<String>,
    notice: Option<String>,
) -> Response {
    if let Some(r) = not_administering(session) {
        return r;
    }
    let (orgs, agreements, catalogue, resharing) = match (
        state.store.organisations().await,
        state.store.agreements().await,
        state.store.catalogue().await,
        state.store.resharing_pending().await,
    ) {
        (Ok(o), Ok(a), Ok(c), Ok(r)) => (o, a, c, r),
        (Err(e), _, _, _) | (_, Err(e), _, _) | (_, _, Err(e), _) | (_, _, _, Err(e)) => {
            return internal(e)
        }
    };
    let today = baken_core::calendar::local_date(state.clock.now());
    let rows = agreements
        .iter()
        .map(|a| AgreementRow {
            id: a.id,
            name: a.name.clone(),
            legal_basis: a.legal_basis.clone(),
            purposes: a.purposes.clone(),
            parties: baken_app::wording::listing(&names(&orgs, &a.parties)),
            opens: opens(a, &catalogue),
            period: match a.valid_until {
                Some(until) => format!(
                    "{} tot en met {}",
                    date_text(a.valid_from),
                    date_text(until)
                ),
                None => format!("vanaf {}, voor onbepaalde tijd", date_text(a.valid_from)),
            },
            in_force: a.valid_from <= today && a.valid_until.is_none_or(|u| u >= today),
            referral_contact: a.referral_contact.clone(),
        })
        .collect();
    let organisations = orgs
        .iter()
        .map(|o| SelectOption {
            value: o.id.to_string(),
            label: o.name.clone(),
            selected: input.parties.contains(&o.id.to_string()),
        })
        .collect();
    let themes = catalogue
        .themes
        .iter()
        .map(|t| SelectOption {
            value: t.code.clone(),
            label: t.name.clone(),
            selected: input.themes.contains(&t.code),
        })
        .collect();
    let shareable: Vec<Classification> = Classification::ALL
        .iter()
        .copied()
        .filter(|c| *c != Classification::Bibob)
        .collect();
    let classifications = crate::ui::options(
        &shareable,
        Classification::slug,
        Classification::label,
        &input.max,
    );
    render(
        status,
        &AgreementsPage {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            agreements: rows,
            organisations,
            themes,
            classifications,
            input,
            errors,
            notice,
            resharing,
        },
    )
}

/// How long the form waits for who sees what to be recomputed before it answers (at a
/// million signals that takes minutes, BENCHMARKS.md; a proxy cuts a request off sooner).
const RESHARING_PATIENCE: std::time::Duration = std::time::Duration::from_secs(5);

/// What the page says once an agreement is made, by how far the recomputation got (a failure
/// is logged by the store; the maintenance finishes it within the hour). A recomputation that
/// goes on is said by the page's banner, as for anyone who opens the page meanwhile.
fn resharing_notice(done: &str, walked: &Result<Walked, StoreError>) -> String {
    match walked {
        Ok(Walked::Done | Walked::GoesOn) => done.to_string(),
        Err(_) => format!(
            "{done} Het opnieuw berekenen van welke signalen partners te zien krijgen, is \
             onderbroken; Baken maakt het vanzelf af, binnen ongeveer een uur."
        ),
    }
}

async fn agreements_page(State(state): State<AppState>, session: Session) -> Response {
    let input = AgreementInput {
        max: Classification::Intern.slug().into(),
        ..Default::default()
    };
    agreements_view(&state, &session, StatusCode::OK, input, Vec::new(), None).await
}

async fn add_agreement(State(state): State<AppState>, session: Session, body: Bytes) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    let input = AgreementInput {
        name: form.one("name").trim().into(),
        legal_basis: form.one("legalBasis").trim().into(),
        purposes: form.one("purposes").trim().into(),
        valid_from: form.one("validFrom").trim().into(),
        valid_until: form.one("validUntil").trim().into(),
        parties: form.all("parties"),
        themes: form.all("themes"),
        max: form.one("maxClassification").into(),
        referral_contact: form.one("referralContact").trim().into(),
    };
    let mut errors = Vec::new();
    let max = Classification::parse(&input.max)
        .map_err(|p| {
            errors.push(format!(
                "Hoogste classificatie: {}",
                baken_app::wording::problem(&p)
            ))
        })
        .ok();
    let valid_from = baken_core::signal::parse_date(&input.valid_from)
        .map_err(|p| errors.push(format!("Geldig vanaf: {}", baken_app::wording::problem(&p))))
        .ok();
    let valid_until = if input.valid_until.is_empty() {
        Some(None)
    } else {
        baken_core::signal::parse_date(&input.valid_until)
            .map_err(|p| errors.push(format!("Laatste dag: {}", baken_app::wording::problem(&p))))
            .ok()
            .map(Some)
    };
    let parties: Vec<Uuid> = input
        .parties
        .iter()
        .filter_map(|p| Uuid::parse_str(p).ok())
        .collect();
    let (Some(max), Some(valid_from), Some(valid_until), true) =
        (max, valid_from, valid_until, errors.is_empty())
    else {
        return agreements_view(
            &state,
            &session,
            StatusCode::BAD_REQUEST,
            input,
            errors,
            None,
        )
        .await;
    };
    let actor = Actor::Caller(session.caller.clone());
    let made = state
        .store
        .start_agreement(
            &actor,
            NewAgreement {
                name: input.name.clone(),
                parties,
                legal_basis: input.legal_basis.clone(),
                purposes: input.purposes.clone(),
                themes: input.themes.clone(),
                max_classification: max,
                valid_from,
                valid_until,
                referral_contact: Some(input.referral_contact.clone()).filter(|c| !c.is_empty()),
            },
            state.clock.now(),
        )
        .await;
    match made {
        Ok((a, resharing)) => {
            let walked = resharing.within(RESHARING_PATIENCE).await;
            let notice = Some(resharing_notice(
                &format!("Convenant '{}' is vastgelegd.", a.name),
                &walked,
            ));
            let fresh = AgreementInput {
                max: Classification::Intern.slug().into(),
                ..Default::default()
            };
            agreements_view(&state, &session, StatusCode::OK, fresh, Vec::new(), notice).await
        }
        Err(e) => match words(e) {
            Ok(errors) => {
                agreements_view(
                    &state,
                    &session,
                    StatusCode::BAD_REQUEST,
                    input,
                    errors,
                    None,
                )
                .await
            }
            Err(e) => refused(&session, e, MISSING),
        },
    }
}

async fn end_agreement(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    if let Some(r) = not_administering(&session) {
        return r;
    }
    let Ok(id) = Uuid::parse_str(&id) else {
        return refused(&session, StoreError::NotFound, MISSING);
    };
    let input = || AgreementInput {
        max: Classification::Intern.slug().into(),
        ..Default::default()
    };
    let last_day = match baken_core::signal::parse_date(form.one("lastDay")) {
        Ok(d) => d,
        Err(p) => {
            let errors = vec![format!("Laatste dag: {}", baken_app::wording::problem(&p))];
            return agreements_view(
                &state,
                &session,
                StatusCode::BAD_REQUEST,
                input(),
                errors,
                None,
            )
            .await;
        }
    };
    let actor = Actor::Caller(session.caller.clone());
    match state
        .store
        .start_agreement_end(&actor, id, last_day, state.clock.now())
        .await
    {
        Ok(resharing) => {
            // The end is stored: the page it redirects to says while the recomputation goes
            // on (a failure is logged by the store and finished by the maintenance).
            let _ = resharing.within(RESHARING_PATIENCE).await;
            Redirect::to("/beheer/convenanten").into_response()
        }
        Err(e) => match words(e) {
            Ok(errors) => {
                agreements_view(
                    &state,
                    &session,
                    StatusCode::BAD_REQUEST,
                    input(),
                    errors,
                    None,
                )
                .await
            }
            Err(e) => refused(&session, e, MISSING),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_says_how_far_the_recomputation_got() {
        let done = "Convenant 'X' is vastgelegd.";
        assert_eq!(resharing_notice(done, &Ok(Walked::Done)), done);
        // The banner says it goes on (the page reads `resharing_pending`).
        assert_eq!(resharing_notice(done, &Ok(Walked::GoesOn)), done);
        let stopped = resharing_notice(done, &Err(StoreError::NotFound));
        assert!(stopped.contains("is onderbroken"), "{stopped}");
    }
}
