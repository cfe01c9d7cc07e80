//! Field work: farm visits (erfbezoek), business-park inspections (schouw) and integrated
//! administrative controls, each with a checklist that is configuration data, findings that
//! can become signals, and coverage of the population visited.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::model::slug_enum;
use crate::signal::{parse_date, IntakePolicy, NewSignal, SignalInput};
use crate::subject::tidy;
use crate::validation::{Listed, Missing, Problem, ValidationErrors};

slug_enum!(
    VisitKind {
        Erfbezoek => "erfbezoek";
        Schouw => "schouw";
        Controle => "controle";
    }
);

impl VisitKind {
    /// The theme a finding of this kind of visit gets by default.
    pub fn default_theme(self) -> &'static str {
        match self {
            VisitKind::Erfbezoek => "buitengebied",
            VisitKind::Schouw => "bedrijventerreinen",
            VisitKind::Controle => "mensenhandel",
        }
    }

    /// The kind of object whose coverage counts for this kind of visit.
    pub fn object_kind(self) -> &'static str {
        match self {
            VisitKind::Erfbezoek => "agrarisch-bedrijf",
            VisitKind::Schouw => "bedrijfspand",
            VisitKind::Controle => "onderneming",
        }
    }

    /// Plural Dutch name of the objects, for "144 van 144 agrarische bedrijven bezocht".
    pub fn object_label(self) -> &'static str {
        match self {
            VisitKind::Erfbezoek => "agrarische bedrijven",
            VisitKind::Schouw => "bedrijfspanden",
            VisitKind::Controle => "ondernemingen",
        }
    }

    /// The default checklist (configuration data the beheerder may change).
    pub fn default_checklist(self) -> Vec<String> {
        let items: &[&str] = match self {
            VisitKind::Erfbezoek => &[
                "Is de ondernemer benaderd om een schuur of loods te verhuren?",
                "Zijn er leegstaande stallen, schuren of loodsen?",
                "Is er drugsafval aangetroffen of gemeld?",
                "Zijn er onbekende huurders of gebruikers op het erf?",
                "Kent de ondernemer de vertrouwenspersoon van LTO Noord en Meld Misdaad Anoniem?",
            ],
            VisitKind::Schouw => &[
                "Zijn er afgeplakte of geblindeerde ramen?",
                "Zijn er opvallend veel camera's?",
                "Is er veel verloop van bedrijven in het pand?",
                "Is er afwijkend stroomverbruik bekend?",
                "Komen en gaan er voortdurend auto's?",
            ],
            VisitKind::Controle => &[
                "Zijn de vergunningen aanwezig en geldig?",
                "Is de brandveiligheid in orde?",
                "Zijn er signalen van arbeidsuitbuiting?",
                "Zijn er signalen van mensenhandel?",
                "Woont er iemand in het bedrijfspand?",
            ],
        };
        items.iter().map(|s| s.to_string()).collect()
    }
}

slug_enum!(
    Answer {
        Ja => "ja";
        Nee => "nee";
        NietVanToepassing => "nvt";
    }
);

/// Raw input of the visit form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct VisitInput {
    pub kind: Option<String>,
    pub object: Option<String>,
    pub location: Option<String>,
    pub area_code: Option<String>,
    pub visited_on: Option<String>,
    /// One answer per checklist question, in order (ja, nee, nvt or empty).
    pub answers: Vec<String>,
    pub notes: Option<String>,
    /// What was found, one finding per entry; each can become a signal later.
    pub findings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewVisit {
    pub kind: VisitKind,
    pub object: Option<Uuid>,
    pub location: Option<String>,
    pub area: Option<crate::identifiers::AreaCode>,
    pub visited_on: Date,
    /// (question as asked, answer)
    pub answers: Vec<(String, Option<Answer>)>,
    pub notes: Option<String>,
    pub findings: Vec<String>,
}

impl NewVisit {
    /// Parses a visit against the checklist in force for its kind.
    pub fn parse(
        input: &VisitInput,
        checklist: &[String],
        today: Date,
    ) -> Result<NewVisit, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let kind = e.take(
            "kind",
            VisitKind::parse(input.kind.as_deref().unwrap_or("")),
        );
        let object = match input
            .object
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(o) => match Uuid::parse_str(o) {
                Ok(id) => Some(id),
                Err(_) => {
                    e.push("object", Problem::NotInList(Listed::FieldObject));
                    None
                }
            },
        };
        let location = input
            .location
            .as_deref()
            .map(tidy)
            .filter(|s| !s.is_empty());
        if object.is_none() && location.is_none() {
            e.push("location", Missing::ObjectOrLocation);
        }
        let area = input
            .area_code
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .and_then(|a| e.take("areaCode", crate::identifiers::AreaCode::parse(a)));
        let visited_on = match input
            .visited_on
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Some(today),
            Some(d) => match parse_date(d) {
                Ok(d) if d > today => {
                    e.push("visitedOn", Problem::InFuture);
                    None
                }
                Ok(d) => Some(d),
                Err(m) => {
                    e.push("visitedOn", m);
                    None
                }
            },
        };
        let mut answers = Vec::with_capacity(checklist.len());
        for (i, question) in checklist.iter().enumerate() {
            let raw = input.answers.get(i).map(|a| a.trim()).unwrap_or("");
            let answer = if raw.is_empty() {
                None
            } else {
                e.take(&format!("answers[{i}]"), Answer::parse(raw))
            };
            answers.push((question.clone(), answer));
        }
        let findings: Vec<String> = input
            .findings
            .iter()
            .map(|f| tidy(f))
            .filter(|f| !f.is_empty())
            .collect();
        if findings.iter().any(|f| f.chars().count() > 2000) {
            e.push("findings", Problem::FindingTooLong { max: 2000 });
        }
        let notes = input
            .notes
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        match (kind, visited_on) {
            (Some(kind), Some(visited_on)) if e.is_empty() => Ok(NewVisit {
                kind,
                object,
                location,
                area,
                visited_on,
                answers,
                notes,
                findings,
            }),
            _ => Err(e),
        }
    }
}

/// Where and when a visit took place, as a finding's signal records it.
#[derive(Debug, Clone, Copy)]
pub struct VisitPlace<'a> {
    pub kind: VisitKind,
    /// How the kind of visit is named in the signal's title ("Erfbezoek: …").
    pub heading: &'a str,
    pub location: Option<&'a str>,
    pub area: Option<&'a str>,
    pub visited_on: Date,
}

/// A visit's finding as a signal, through the same parser as every other channel.
pub fn finding_signal(
    place: VisitPlace<'_>,
    finding: &str,
    catalogue: &crate::catalogue::Catalogue,
    caller: &crate::Caller,
    (policy, now): (&IntakePolicy, OffsetDateTime),
) -> Result<NewSignal, ValidationErrors> {
    let VisitPlace {
        kind,
        heading,
        location,
        area,
        visited_on,
    } = place;
    let title: String = finding.chars().take(100).collect();
    let input = SignalInput {
        title: Some(format!("{heading}: {title}")),
        description: Some(finding.to_string()),
        observed_on: Some(crate::signal::format_date(visited_on)),
        source_kind: Some(
            if kind == VisitKind::Controle {
                "controle"
            } else {
                "veldbezoek"
            }
            .into(),
        ),
        source_reliability: Some("B".into()),
        information_credibility: Some("2".into()),
        themes: vec![kind.default_theme().into()],
        area_code: area.map(str::to_string),
        address: location.map(str::to_string),
        classification: Some("intern".into()),
        ..Default::default()
    };
    NewSignal::parse(&input, catalogue, caller, policy, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_visit_follows_its_checklist() {
        let checklist = VisitKind::Erfbezoek.default_checklist();
        let input = VisitInput {
            kind: Some("erfbezoek".into()),
            location: Some("Boerderij aan de Dorpsweg".into()),
            answers: vec!["ja".into(), "nee".into(), "".into()],
            findings: vec![
                "Ondernemer kreeg een brief met huuraanbod voor de loods".into(),
                "  ".into(),
            ],
            ..Default::default()
        };
        let v = NewVisit::parse(&input, &checklist, date!(2025 - 03 - 01)).unwrap();
        assert_eq!(v.visited_on, date!(2025 - 03 - 01));
        assert_eq!(v.answers.len(), checklist.len());
        assert_eq!(v.answers[0].1, Some(Answer::Ja));
        assert_eq!(v.answers[2].1, None);
        assert_eq!(v.findings.len(), 1);
        let bad = VisitInput {
            kind: Some("koffie".into()),
            answers: vec!["misschien".into()],
            visited_on: Some("2099-01-01".into()),
            ..Default::default()
        };
        let e = NewVisit::parse(&bad, &checklist, date!(2025 - 03 - 01)).unwrap_err();
        for f in ["kind", "location", "answers[0]", "visitedOn"] {
            assert!(e.for_field(f).is_some(), "{f}: {e}");
        }
    }
}
