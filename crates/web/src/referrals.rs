//! De verwijsindex (issue 18, pt 5): whoever handles signals asks whether another party of an
//! agreement with a verwijsindex holds information about a person, organisation, address or
//! vehicle, and learns whom to contact — never what it is. The question is posted (no personal
//! data in addresses or logs); the store audits it on both sides.

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use baken_core::access::Denied;
use baken_core::subject::{NewSubject, SubjectInput};
use baken_store::StoreError;

use crate::ui::{refused, render, Form, Nav, Session};
use crate::AppState;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/verwijsindex", page)
        .post("/verwijsindex", ask)
}

/// The kinds the verwijsindex answers for, with their labels.
const KINDS: [(&str, &str); 4] = [
    ("persoon", "Persoon"),
    ("organisatie", "Organisatie"),
    ("adres", "Adres"),
    ("voertuig", "Voertuig"),
];

#[derive(Default)]
struct Asked {
    kind: String,
    name: String,
    birth_date: String,
    kvk: String,
    postcode: String,
    house_number: String,
    plate: String,
}

struct Hit {
    organisation: String,
    contact: String,
}

#[derive(Template)]
#[template(path = "referrals.html")]
struct ReferralPage {
    nav: Option<Nav>,
    csrf: String,
    kinds: Vec<(&'static str, &'static str, bool)>,
    asked: Asked,
    errors: Vec<String>,
    /// After a question: the hits (empty: no party reports information).
    hits: Option<Vec<Hit>>,
}

fn view(
    session: &Session,
    status: StatusCode,
    asked: Asked,
    errors: Vec<String>,
    hits: Option<Vec<Hit>>,
) -> Response {
    let kinds = KINDS
        .iter()
        .map(|(slug, label)| (*slug, *label, asked.kind == *slug))
        .collect();
    render(
        status,
        &ReferralPage {
            nav: session.nav(),
            csrf: session.csrf.clone(),
            kinds,
            asked,
            errors,
            hits,
        },
    )
}

fn refuse_unless_allowed(session: &Session) -> Option<Response> {
    (!session.caller.may_search_referrals())
        .then(|| refused(session, StoreError::Forbidden(Denied::Referrals), ""))
}

async fn page(session: Session) -> Response {
    if let Some(r) = refuse_unless_allowed(&session) {
        return r;
    }
    let asked = Asked {
        kind: "persoon".into(),
        ..Asked::default()
    };
    view(&session, StatusCode::OK, asked, Vec::new(), None)
}

/// The form's label of a parsed subject's field.
fn label(field: &str) -> &'static str {
    match field.rsplit('.').next().unwrap_or(field) {
        "kind" => "Soort",
        "name" => "Naam",
        "birthDate" => "Geboortedatum",
        "kvkNumber" => "KvK-nummer",
        "postcode" => "Postcode",
        "houseNumber" => "Huisnummer",
        "plate" => "Kenteken",
        _ => "Gegevens",
    }
}

async fn ask(State(state): State<AppState>, session: Session, body: Bytes) -> Response {
    if let Some(r) = refuse_unless_allowed(&session) {
        return r;
    }
    let form = Form::parse(&body);
    if let Some(r) = session.csrf_refused(&form) {
        return r;
    }
    let asked = Asked {
        kind: form.one("soort").trim().into(),
        name: form.one("naam").trim().into(),
        birth_date: form.one("geboortedatum").trim().into(),
        kvk: form.one("kvk").trim().into(),
        postcode: form.one("postcode").trim().into(),
        house_number: form.one("huisnummer").trim().into(),
        plate: form.one("kenteken").trim().into(),
    };
    let some = |s: &String| Some(s.clone()).filter(|s| !s.is_empty());
    let input = SubjectInput {
        kind: Some(asked.kind.clone()),
        name: some(&asked.name),
        birth_date: some(&asked.birth_date),
        kvk_number: some(&asked.kvk),
        postcode: some(&asked.postcode),
        house_number: some(&asked.house_number),
        plate: some(&asked.plate),
        ..SubjectInput::default()
    };
    let now = state.clock.now();
    let subject = match NewSubject::parse(&input, 0, baken_core::calendar::local_date(now)) {
        Ok(s) => s,
        Err(errors) => {
            let errors = baken_app::wording::messages(&errors)
                .into_iter()
                .map(|m| format!("{}: {}", label(&m.field), m.message))
                .collect();
            return view(&session, StatusCode::BAD_REQUEST, asked, errors, None);
        }
    };
    let hits = match state.store.referrals(&session.caller, &subject, now).await {
        Ok(h) => h,
        Err(e) => return refused(&session, e, ""),
    };
    let hits = hits
        .into_iter()
        .map(|h| Hit {
            organisation: h.organisation_name,
            contact: h.contact,
        })
        .collect();
    view(&session, StatusCode::OK, asked, Vec::new(), Some(hits))
}
