//! The minutes of a meeting of the case table, per recipient: a printable page and the same
//! as a PDF made in-process (`baken_app::pdf`). The store decides what each version holds
//! (`MeetingStore::minutes`); both forms show exactly that.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use baken_app::pdf::{Block, Document};
use baken_core::meeting::MinutesFor;
use uuid::Uuid;

use crate::meetings::{
    item_row, no_cases, not_found, participants_text, table_options, ItemRow, MISSING,
};
use crate::ui::{date_text, internal, render, Nav, SelectOption, Session};
use crate::AppState;

#[derive(Template)]
#[template(path = "minutes.html")]
struct MinutesPage {
    nav: Option<Nav>,
    id: Uuid,
    title: String,
    date: String,
    chair: String,
    participants: String,
    version: String,
    items: Vec<ItemRow>,
    versions: Vec<SelectOption>,
    own_file: bool,
    printed: String,
    /// The version in the PDF link: `?voor=…`, or nothing for the reader's own.
    pdf_query: String,
}

#[derive(serde::Deserialize)]
pub(crate) struct MinutesQuery {
    voor: Option<String>,
}

/// The minutes as one recipient may read them: `?voor=eigen` is the municipality's own file
/// (only who runs the meeting), `?voor=<organisation id>` one participating organisation's;
/// without it, the reader's own organisation's.
async fn minutes(
    state: &AppState,
    session: &Session,
    id: &str,
    q: &MinutesQuery,
) -> Result<MinutesPage, Response> {
    if !session.caller.may_see_cases() {
        return Err(no_cases(session));
    }
    let Ok(id) = Uuid::parse_str(id) else {
        return Err(not_found(session));
    };
    let version = match q.voor.as_deref() {
        None | Some("") => MinutesFor::Organisation(session.caller.org()),
        Some("eigen") => MinutesFor::OwnFile,
        Some(org) => match Uuid::parse_str(org) {
            Ok(org) => MinutesFor::Organisation(org),
            Err(_) => return Err(not_found(session)),
        },
    };
    let now = state.clock.now();
    let detail = match state.store.minutes(&session.caller, id, version, now).await {
        Ok(d) => d,
        Err(e) => return Err(crate::ui::refused(session, e, MISSING)),
    };
    let orgs = match state.store.organisations().await {
        Ok(o) => o,
        Err(e) => return Err(internal(e)),
    };
    let version_name = match version {
        MinutesFor::OwnFile => format!(
            "eigen dossier van {} (volledig)",
            detail.meeting.owner_org_name
        ),
        MinutesFor::Organisation(org) => format!(
            "voor {}",
            orgs.iter()
                .find(|o| o.id == org)
                .map_or("onbekende organisatie", |o| o.name.as_str())
        ),
    };
    let versions = if detail.may_run {
        let mut v = vec![SelectOption {
            value: "eigen".into(),
            label: "Eigen dossier (volledig)".into(),
            selected: version == MinutesFor::OwnFile,
        }];
        v.extend(
            table_options(&detail, &orgs)
                .into_iter()
                .map(|o| SelectOption {
                    selected: version.eq(&MinutesFor::Organisation(
                        Uuid::parse_str(&o.value).unwrap_or_default(),
                    )),
                    ..o
                }),
        );
        v
    } else {
        Vec::new()
    };
    let today = baken_core::calendar::local_date(now);
    let m = &detail.meeting;
    Ok(MinutesPage {
        nav: session.nav(),
        id: m.id,
        title: m.title.clone(),
        date: date_text(m.held_on),
        chair: format!("{} ({})", m.chair_name, m.owner_org_name),
        participants: participants_text(&detail.participants),
        version: version_name,
        items: detail
            .items
            .iter()
            .map(|i| item_row(i, today, None))
            .collect(),
        own_file: version == MinutesFor::OwnFile,
        pdf_query: q
            .voor
            .as_deref()
            .filter(|v| !v.is_empty())
            .map(|v| format!("?voor={v}"))
            .unwrap_or_default(),
        versions,
        printed: crate::ui::day(now),
    })
}

/// The minutes as a page (it prints as it shows).
pub(crate) async fn page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<MinutesQuery>,
) -> Response {
    match minutes(&state, &session, &id, &q).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(r) => r,
    }
}

/// The minutes as a PDF, the same version as the page.
pub(crate) async fn pdf(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<MinutesQuery>,
) -> Response {
    let page = match minutes(&state, &session, &id, &q).await {
        Ok(page) => page,
        Err(r) => return r,
    };
    let bytes = baken_app::pdf::render(&document(&page));
    crate::ui::download(
        bytes,
        "application/pdf",
        &format!("verslag-{}.pdf", page.date),
    )
}

/// The minutes as a document: what the page shows, in the same order.
fn document(page: &MinutesPage) -> Document {
    let mut blocks = vec![
        Block::Paragraph(format!("Versie {}.", page.version)),
        Block::Note(if page.own_file {
            "Vertrouwelijk: alleen voor het eigen dossier.".into()
        } else {
            "Vertrouwelijk: alleen voor deze organisatie, niet verder verspreiden.".into()
        }),
        Block::Fact("Datum".into(), page.date.clone()),
        Block::Fact("Voorzitter".into(), page.chair.clone()),
        Block::Fact("Deelnemers".into(), page.participants.clone()),
    ];
    if page.items.is_empty() {
        blocks.push(Block::Paragraph("Geen casussen in deze versie.".into()));
    }
    for (n, item) in page.items.iter().enumerate() {
        blocks.push(Block::Heading(format!("{}. {}", n + 1, item.title)));
        blocks.push(Block::Note(format!(
            "Op de agenda: {} · status {}",
            item.reasons, item.status
        )));
        if !item.overdue_before.is_empty() {
            blocks.push(Block::Subheading(
                "Acties over de termijn bij dit overleg".into(),
            ));
            for a in &item.overdue_before {
                blocks.push(Block::Paragraph(format!(
                    "{} — {}, uiterlijk {}; nu: {}",
                    a.description,
                    a.owner,
                    a.due,
                    a.status.to_lowercase()
                )));
            }
        }
        blocks.push(Block::Subheading("Inbreng".into()));
        if item.disclosures.is_empty() {
            blocks.push(Block::Paragraph("Geen inbreng vastgelegd.".into()));
        }
        for d in &item.disclosures {
            let to = if d.recipients.is_empty() {
                String::new()
            } else {
                format!("; gedeeld met {}", d.recipients)
            };
            let label = format!("{} — grondslag: {}{to}", d.organisation, d.basis);
            let text = match (&d.summary, d.not_shareable) {
                (Some(s), true) => format!("Informatie die niet gedeeld kan worden: {s}"),
                (Some(s), false) => s.clone(),
                (None, _) => "De inhoud is niet met deze organisatie gedeeld.".into(),
            };
            blocks.push(Block::Fact(label, text));
        }
        blocks.push(Block::Subheading("Bespreking".into()));
        blocks.push(Block::Paragraph(if item.discussion.is_empty() {
            "Geen verslag van de bespreking.".into()
        } else {
            item.discussion.clone()
        }));
        blocks.push(Block::Subheading("Besluit".into()));
        if item.decisions.is_empty() {
            blocks.push(Block::Paragraph("Geen besluit in dit overleg.".into()));
        }
        for d in &item.decisions {
            let mut head = format!("{}: {}", d.date, d.decision);
            if d.superseded {
                head.push_str(" (vervangen door een later besluit)");
            }
            if d.supersedes {
                head.push_str(" (vervangt het vorige besluit)");
            }
            blocks.push(Block::Paragraph(head));
            for (label, value) in [
                ("Aanpak", &d.approaches),
                ("Geschikt", &d.suitable),
                ("Noodzakelijk", &d.necessary),
                ("Evenwichtig", &d.balanced),
                ("Zorg overwogen", &d.care),
                ("Niet gekozen", &d.not_chosen),
            ] {
                blocks.push(Block::Fact(label.into(), value.clone()));
            }
        }
        if !item.actions.is_empty() {
            blocks.push(Block::Subheading("Acties uit dit overleg".into()));
            for a in &item.actions {
                blocks.push(Block::Paragraph(format!(
                    "{} — {}, uiterlijk {}; {}",
                    a.description,
                    a.owner,
                    a.due,
                    a.status.to_lowercase()
                )));
            }
        }
    }
    Document {
        title: format!("Verslag: {}", page.title),
        footer: format!("Baken · {} · opgesteld op {}", page.title, page.printed),
        blocks,
    }
}
