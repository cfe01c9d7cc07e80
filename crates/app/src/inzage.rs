//! The inzage as the data subject receives it (issue 18, pt 7; AVG art. 15): everything the
//! organisation holds about the person (`baken_store::PersonRecord`), in Dutch, as JSON and as
//! PDF — the same content in both. Bibob content is not part of it (art. 28 Wet Bibob), which
//! the document says.

use crate::labels::Label;
use crate::pdf::{Block, Document};
use baken_store::PersonRecord;
use serde::Serialize;
use std::collections::HashMap;
use time::OffsetDateTime;
use uuid::Uuid;

/// What the document says about Bibob content.
pub const BIBOB: &str = "Gegevens uit een Bibob-onderzoek zijn niet in dit overzicht opgenomen. \
    De Wet Bibob (artikel 28) regelt wanneer die gegevens worden verstrekt; een verzoek daarover \
    behandelt de Bibob-coördinator.";

/// Names the record refers to by id: users and organisations.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub users: HashMap<Uuid, String>,
    pub organisations: HashMap<Uuid, String>,
}

impl Names {
    fn user(&self, id: Option<Uuid>) -> String {
        id.and_then(|u| self.users.get(&u).cloned())
            .unwrap_or_else(|| "systeem".into())
    }

    fn organisation(&self, id: Option<Uuid>) -> String {
        id.and_then(|o| self.organisations.get(&o).cloned())
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inzage {
    pub organisation: String,
    pub compiled_at: String,
    pub mentions: Vec<Mention>,
    pub signals: Vec<SignalPart>,
    pub links: Vec<LinkPart>,
    pub cases: Vec<CasePart>,
    pub interventions: Vec<InterventionPart>,
    pub reads: Vec<ReadPart>,
    pub processing: Vec<ProcessingPart>,
    pub bibob: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Mention {
    pub id: Uuid,
    /// As it was written in the signal.
    pub written: String,
    pub details: baken_core::subject::SubjectDetails,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignalPart {
    pub id: Uuid,
    pub received: String,
    pub title: String,
    pub description: String,
    pub themes: Vec<String>,
    pub status: &'static str,
    pub classification: &'static str,
    pub kept_until: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkPart {
    pub mentions: [Uuid; 2],
    pub probability: f64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CasePart {
    pub id: Uuid,
    pub title: String,
    pub status: &'static str,
    pub opened: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InterventionPart {
    pub id: Uuid,
    pub kind: &'static str,
    pub title: String,
    pub opened: String,
    pub role: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadPart {
    pub at: String,
    pub by: String,
    pub organisation: String,
    pub purpose: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProcessingPart {
    pub at: String,
    pub activity: &'static str,
    pub organisation: String,
    pub trace_id: String,
}

fn moment(t: OffsetDateTime) -> String {
    let fmt = time::macros::format_description!("[day]-[month]-[year] [hour]:[minute]");
    baken_core::calendar::local(t)
        .format(&fmt)
        .unwrap_or_default()
}

fn activity_label(a: baken_core::processing::ProcessingActivity) -> &'static str {
    use baken_core::processing::ProcessingActivity as P;
    match a {
        P::RegisterSignal => "signaal geregistreerd",
        P::CorrectSignal => "signaal gecorrigeerd",
        P::ReadDossier => "dossier ingezien",
        P::Purge => "verwijderd na de bewaartermijn",
        P::AccessRequest => "inzage samengesteld",
    }
}

impl Inzage {
    pub fn of(record: &PersonRecord, names: &Names, now: OffsetDateTime) -> Self {
        Inzage {
            organisation: names.organisation(Some(record.organisation)),
            compiled_at: moment(now),
            mentions: record
                .mentions
                .iter()
                .map(|m| Mention {
                    id: m.id,
                    written: m.original.clone(),
                    details: m.details.clone(),
                })
                .collect(),
            signals: record
                .signals
                .iter()
                .map(|s| SignalPart {
                    id: s.id,
                    received: moment(s.received_at),
                    title: s.title.clone(),
                    description: s.description.clone(),
                    themes: s.themes.clone(),
                    status: s.status.label(),
                    classification: s.classification.label(),
                    kept_until: crate::wording::day(s.retention_until),
                })
                .collect(),
            links: record
                .links
                .iter()
                .map(|(l, r, p)| LinkPart {
                    mentions: [*l, *r],
                    probability: *p,
                })
                .collect(),
            cases: record
                .cases
                .iter()
                .map(|c| CasePart {
                    id: c.id,
                    title: c.title.clone(),
                    status: c.status.label(),
                    opened: moment(c.created_at),
                })
                .collect(),
            interventions: record
                .interventions
                .iter()
                .map(|i| InterventionPart {
                    id: i.id,
                    kind: i.kind.label(),
                    title: i.title.clone(),
                    opened: crate::wording::day(i.opened_on),
                    role: i.role.clone(),
                })
                .collect(),
            reads: record
                .reads
                .iter()
                .map(|r| ReadPart {
                    at: moment(r.at),
                    by: names.user(r.user),
                    organisation: names.organisation(r.organisation),
                    purpose: r.purpose.clone(),
                })
                .collect(),
            processing: record
                .processing
                .iter()
                .map(|p| ProcessingPart {
                    at: moment(p.at),
                    activity: activity_label(p.activity),
                    organisation: names.organisation(Some(p.organisation)),
                    trace_id: p.trace_id.clone(),
                })
                .collect(),
            bibob: BIBOB,
        }
    }

    pub fn json(&self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec_pretty(self)
    }

    /// The same content as a PDF document.
    pub fn pdf(&self) -> Vec<u8> {
        let mut blocks = vec![
            Block::Paragraph(format!(
                "Dit overzicht bevat alles wat {} in Baken over u heeft vastgelegd, \
                 samengesteld op {} naar aanleiding van uw verzoek om inzage (artikel 15 AVG).",
                self.organisation, self.compiled_at
            )),
            Block::Heading("Hoe u in de gegevens voorkomt".into()),
        ];
        for m in &self.mentions {
            blocks.push(Block::Fact("Vermelding".into(), m.written.clone()));
        }
        blocks.push(Block::Heading(format!("Signalen ({})", self.signals.len())));
        for s in &self.signals {
            blocks.push(Block::Subheading(format!("{} — {}", s.received, s.title)));
            blocks.push(Block::Paragraph(s.description.clone()));
            blocks.push(Block::Fact("Thema's".into(), s.themes.join(", ")));
            blocks.push(Block::Fact("Status".into(), s.status.into()));
            blocks.push(Block::Fact("Bewaard tot".into(), s.kept_until.clone()));
        }
        if !self.links.is_empty() {
            blocks.push(Block::Heading("Koppelingen".into()));
            blocks.push(Block::Paragraph(format!(
                "Baken heeft {} keer twee vermeldingen als dezelfde persoon herkend.",
                self.links.len()
            )));
        }
        blocks.push(Block::Heading(format!("Casussen ({})", self.cases.len())));
        for c in &self.cases {
            blocks.push(Block::Fact(
                c.opened.clone(),
                format!("{} ({})", c.title, c.status),
            ));
        }
        blocks.push(Block::Heading(format!(
            "Interventies ({})",
            self.interventions.len()
        )));
        for i in &self.interventions {
            blocks.push(Block::Fact(
                i.opened.clone(),
                format!("{}: {} (u als {})", i.kind, i.title, i.role),
            ));
        }
        blocks.push(Block::Heading(format!(
            "Wie uw gegevens heeft ingezien ({})",
            self.reads.len()
        )));
        for r in &self.reads {
            blocks.push(Block::Fact(
                r.at.clone(),
                format!("{} ({}), doel: {}", r.by, r.organisation, r.purpose),
            ));
        }
        blocks.push(Block::Heading(format!(
            "Verwerkingen ({})",
            self.processing.len()
        )));
        for p in &self.processing {
            blocks.push(Block::Fact(
                p.at.clone(),
                format!("{} door {}", p.activity, p.organisation),
            ));
        }
        blocks.push(Block::Heading("Bibob".into()));
        blocks.push(Block::Note(self.bibob.into()));
        crate::pdf::render(&Document {
            title: "Inzage in uw gegevens".into(),
            footer: format!("{} — inzage {}", self.organisation, self.compiled_at),
            blocks,
        })
    }
}
