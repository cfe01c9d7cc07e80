//! The public report form (`/melden`): residents and entrepreneurs report without an account.
//! Nothing about the reporter is kept unless they give contact details *and* consent; those
//! details are wiped after a configurable number of days.

use crate::calendar::local_date;
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};

use crate::catalogue::Catalogue;
use crate::model::{
    Classification, InformationCredibility, Sharing, SourceKind, SourceReliability,
};
use crate::signal::{parse_date, IntakePolicy, NewSignal};
use crate::subject::{normalise_email, normalise_phone, tidy};
use crate::validation::{Missing, Problem, ValidationErrors};

/// What the public form sends. `website` is a honeypot: people never see it, bots fill it in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PublicReportInput {
    pub description: Option<String>,
    pub observed_on: Option<String>,
    pub location: Option<String>,
    pub theme: Option<String>,
    pub contact_consent: bool,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub website: Option<String>,
}

/// Contact details a reporter chose to leave, with the day they are wiped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReporterContact {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub wipe_after: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicReport {
    pub signal: NewSignal,
    pub contact: Option<ReporterContact>,
}

fn text(o: &Option<String>) -> Option<String> {
    o.as_deref().map(tidy).filter(|s| !s.is_empty())
}

impl PublicReportInput {
    /// True when the hidden honeypot field was filled in: a bot, not a person.
    pub fn is_bot(&self) -> bool {
        text(&self.website).is_some()
    }
}

/// A reporter's reference number ("M-7KQ2-X9PD"): random, from letters and digits that
/// cannot be mistaken for one another. The one format, for stored reports and for the
/// answer a bot gets from the honeypot alike.
pub fn new_reference() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let bytes = uuid::Uuid::new_v4().into_bytes();
    let code: String = bytes[..8]
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    format!("M-{}-{}", &code[..4], &code[4..])
}

/// How public reports are taken in.
#[derive(Debug, Clone, Copy)]
pub struct PublicIntake<'a> {
    /// How long consented contact details are kept, in days.
    pub contact_days: u32,
    pub policy: &'a IntakePolicy,
    /// What a report's title starts with ("Melding"), followed by its first words.
    pub heading: &'a str,
}

impl PublicReport {
    /// Parses a public report.
    pub fn parse(
        input: &PublicReportInput,
        catalogue: &Catalogue,
        intake: PublicIntake<'_>,
        now: OffsetDateTime,
    ) -> Result<PublicReport, ValidationErrors> {
        let PublicIntake {
            contact_days,
            policy,
            heading,
        } = intake;
        let mut e = ValidationErrors::new();
        let description = match input
            .description
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => {
                e.push("description", Missing::PublicObservation);
                None
            }
            Some(d) if d.chars().count() > 5000 => {
                e.push("description", Problem::TooLong { max: 5000 });
                None
            }
            Some(d) => Some(d.to_string()),
        };
        let observed_on = text(&input.observed_on).and_then(|d| match parse_date(&d) {
            Ok(d) if d > local_date(now) => {
                e.push("observedOn", Problem::InFuture);
                None
            }
            Ok(d) => Some(d),
            Err(m) => {
                e.push("observedOn", m);
                None
            }
        });
        let location = text(&input.location);
        if location.as_ref().is_some_and(|l| l.chars().count() > 300) {
            e.push("location", Problem::TooLong { max: 300 });
        }
        let themes = match text(&input.theme).as_deref() {
            None | Some("onbekend") => Vec::new(),
            Some(t) if catalogue.theme(t).is_some() => vec![t.to_string()],
            Some(_) => {
                e.push("theme", Problem::PublicTheme);
                Vec::new()
            }
        };
        let (mut name, mut phone, mut email) = (
            text(&input.contact_name),
            text(&input.contact_phone),
            text(&input.contact_email),
        );
        // Every field of the form has a length; longer input is refused, never stored.
        for (field, value, max) in [
            ("contactName", &mut name, 200),
            ("contactPhone", &mut phone, 40),
            ("contactEmail", &mut email, 254),
        ] {
            if value.as_ref().is_some_and(|v| v.chars().count() > max) {
                e.push(field, Problem::TooLong { max });
                *value = None;
            }
        }
        let any_contact = name.is_some() || phone.is_some() || email.is_some();
        let contact = if input.contact_consent && any_contact {
            let phone = phone.and_then(|p| e.take("contactPhone", normalise_phone(&p)));
            let email = email.and_then(|m| e.take("contactEmail", normalise_email(&m)));
            Some(ReporterContact {
                name,
                phone,
                email,
                wipe_after: local_date(now) + Duration::days(i64::from(contact_days)),
            })
        } else if any_contact {
            e.push("contactConsent", Missing::ContactConsent);
            None
        } else {
            None
        };
        let Some(description) = description else {
            return Err(e);
        };
        if !e.is_empty() {
            return Err(e);
        }
        let title: String = {
            let first: String = description.chars().take(80).collect();
            let first = tidy(&first);
            if description.chars().count() > 80 {
                format!("{heading}: {first}…")
            } else {
                format!("{heading}: {first}")
            }
        };
        let classification = Classification::Vertrouwelijk;
        let deadline = {
            let days = catalogue.deadline_days(&themes, policy.deadlines.default_working_days);
            crate::deadline::add_working_days(
                local_date(now),
                days,
                policy.deadlines.public_holidays,
            )
        };
        Ok(PublicReport {
            signal: NewSignal {
                received_at: now,
                observed_on,
                source_kind: SourceKind::AnoniemFormulier,
                source_reliability: SourceReliability::F,
                information_credibility: InformationCredibility::CannotBeJudged,
                themes,
                indicators: Vec::new(),
                title,
                description,
                area: None,
                coordinates: None,
                address: location,
                classification,
                // Public reports stay with the municipality until triage decides to share.
                sharing: Sharing::EigenOrganisatie,
                retention_until: policy.retention.until(local_date(now), classification),
                deadline,
                subjects: Vec::new(),
                relations: Vec::new(),
            },
            contact,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2025-06-01 10:00 UTC);

    fn cat() -> Catalogue {
        Catalogue::groningen_defaults()
    }

    fn intake() -> PublicIntake<'static> {
        PublicIntake {
            contact_days: 30,
            policy: Box::leak(Box::default()),
            heading: "Melding",
        }
    }

    #[test]
    fn an_anonymous_report_keeps_nothing_about_the_reporter() {
        let input = PublicReportInput {
            description: Some("Elke nacht busjes bij de loods aan de Industrieweg.".into()),
            theme: Some("onbekend".into()),
            ..Default::default()
        };
        let r = PublicReport::parse(&input, &cat(), intake(), NOW).unwrap();
        assert!(r.contact.is_none());
        assert!(r.signal.themes.is_empty());
        assert_eq!(r.signal.source_kind, SourceKind::AnoniemFormulier);
        assert_eq!(r.signal.sharing, Sharing::EigenOrganisatie);
        assert_eq!(
            r.signal.title,
            "Melding: Elke nacht busjes bij de loods aan de Industrieweg."
        );
    }

    #[test]
    fn contact_details_need_consent_and_are_wiped_later() {
        let mut input = PublicReportInput {
            description: Some("x".into()),
            contact_phone: Some("06-12345678".into()),
            ..Default::default()
        };
        let e = PublicReport::parse(&input, &cat(), intake(), NOW).unwrap_err();
        assert!(e.for_field("contactConsent").is_some());
        input.contact_consent = true;
        let r = PublicReport::parse(&input, &cat(), intake(), NOW).unwrap();
        let c = r.contact.unwrap();
        assert_eq!(c.phone.as_deref(), Some("+31612345678"));
        assert_eq!(c.wipe_after, time::macros::date!(2025 - 07 - 01));
        input.contact_email = Some("geen-adres".into());
        assert!(PublicReport::parse(&input, &cat(), intake(), NOW)
            .unwrap_err()
            .for_field("contactEmail")
            .is_some());
    }

    #[test]
    fn every_contact_field_has_a_length() {
        let input = PublicReportInput {
            description: Some("x".into()),
            contact_consent: true,
            contact_name: Some("a".repeat(1_000_000)),
            contact_phone: Some("0".repeat(41)),
            contact_email: Some(format!("{}@example.org", "a".repeat(250))),
            ..Default::default()
        };
        let e = PublicReport::parse(&input, &cat(), intake(), NOW).unwrap_err();
        assert_eq!(
            e.for_field("contactName"),
            Some(&Problem::TooLong { max: 200 })
        );
        assert!(e.for_field("contactPhone").is_some());
        assert!(e.for_field("contactEmail").is_some());
    }

    #[test]
    fn the_honeypot_tells_bots() {
        assert!(PublicReportInput {
            website: Some("http://spam".into()),
            ..Default::default()
        }
        .is_bot());
        let e =
            PublicReport::parse(&PublicReportInput::default(), &cat(), intake(), NOW).unwrap_err();
        assert!(e.for_field("description").is_some());
    }
}
