//! Activities (issue 15, pt 8): what the municipality does besides interventions — awareness
//! sessions, trainings, campaigns, school classes (HackShield) — with date, audience, theme,
//! organisation and counts. The council report counts them per year and school year.

use serde::{Deserialize, Serialize};
use time::{Date, Month, OffsetDateTime};
use uuid::Uuid;

use crate::access::{Caller, Role};
use crate::case::MAX_TEXT;
use crate::meeting::{optional_text, required_text};
use crate::model::slug_enum;
use crate::validation::{Format, Missing, Problem};
use crate::ValidationErrors;

slug_enum!(
    /// The kinds of activity.
    ActivityKind {
        Awareness => "voorlichting";
        Training => "training";
        Campaign => "campagne";
        SchoolClass => "schoolles";
    }
);

/// The most participants or sessions one activity records.
pub const MAX_COUNT: u32 = 1_000_000;

/// The school year a day falls in ("2024/2025"; a school year starts on 1 August).
pub fn school_year(day: Date) -> String {
    let start = if day.month() >= Month::August {
        day.year()
    } else {
        day.year() - 1
    };
    format!("{start}/{}", start + 1)
}

/// An activity as both edges send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawActivity {
    /// `voorlichting`, `training`, `campagne` or `schoolles`.
    pub kind: String,
    pub title: String,
    /// `JJJJ-MM-DD`.
    pub held_on: String,
    /// Who it was for (e.g. "groep 7 en 8, basisschool De Wijert").
    pub audience: String,
    /// A theme code of the catalogue.
    pub theme: String,
    /// How many people it reached.
    pub reached: String,
    /// How many sessions or classes it had (1 when left out).
    pub sessions: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActivity {
    pub kind: ActivityKind,
    pub title: String,
    pub held_on: Date,
    pub audience: String,
    pub theme: String,
    pub reached: u32,
    pub sessions: u32,
    pub notes: String,
}

fn count(errors: &mut ValidationErrors, field: &str, raw: &str, default: u32) -> Option<u32> {
    let text = raw.trim();
    if text.is_empty() {
        return Some(default);
    }
    match text.parse::<u32>() {
        Ok(n) if n <= MAX_COUNT => Some(n),
        _ => {
            errors.push(
                field,
                Problem::NotA {
                    format: Format::WholeCount,
                    given: text.to_string(),
                },
            );
            None
        }
    }
}

impl NewActivity {
    /// Parses an activity; `today` is the latest day it may have been held.
    pub fn parse(raw: &RawActivity, today: Date) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let kind = errors.take("kind", ActivityKind::parse(&raw.kind));
        let title = required_text(&mut errors, "title", &raw.title, Missing::Title, 200);
        let held_on = if raw.held_on.trim().is_empty() {
            errors.push("heldOn", Missing::ActivityDate);
            None
        } else {
            errors.take("heldOn", crate::signal::parse_date(&raw.held_on))
        };
        if held_on.is_some_and(|d| d > today) {
            errors.push("heldOn", Problem::InFuture);
        }
        let audience = optional_text(&mut errors, "audience", &raw.audience, 200);
        let theme = required_text(&mut errors, "theme", &raw.theme, Missing::Theme, 100);
        let reached = if raw.reached.trim().is_empty() {
            errors.push("reached", Missing::Reached);
            None
        } else {
            count(&mut errors, "reached", &raw.reached, 0)
        };
        let sessions = count(&mut errors, "sessions", &raw.sessions, 1);
        if sessions == Some(0) {
            errors.push("sessions", Problem::ZeroSessions);
        }
        let notes = optional_text(&mut errors, "notes", &raw.notes, MAX_TEXT);
        match (kind, held_on, reached, sessions) {
            (Some(kind), Some(held_on), Some(reached), Some(sessions)) if errors.is_empty() => {
                Ok(Self {
                    kind,
                    title,
                    held_on,
                    audience,
                    theme,
                    reached,
                    sessions,
                    notes,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A recorded activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    pub id: Uuid,
    pub kind: ActivityKind,
    pub title: String,
    #[serde(with = "iso_date")]
    pub held_on: Date,
    pub school_year: String,
    pub audience: String,
    pub theme: String,
    pub organisation: String,
    pub reached: u32,
    pub sessions: u32,
    pub notes: String,
    pub recorded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
}

use crate::model::iso_date;

impl Caller {
    /// Recording an activity: the undermining team.
    pub fn may_record_activity(&self) -> bool {
        self.has(Role::Analist)
    }

    /// Seeing the organisation's activities: everyone in it who works with content (they hold no
    /// personal data; a lezer sees what the council report will count).
    pub fn may_see_activities(&self) -> bool {
        self.roles().iter().any(Role::works_with_content)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_school_year_starts_in_august() {
        assert_eq!(school_year(date!(2024 - 07 - 31)), "2023/2024");
        assert_eq!(school_year(date!(2024 - 08 - 01)), "2024/2025");
        assert_eq!(school_year(date!(2025 - 03 - 12)), "2024/2025");
    }

    #[test]
    fn an_activity_names_every_problem() {
        let raw = RawActivity {
            kind: "les".into(),
            held_on: "2025-07-01".into(),
            reached: "veel".into(),
            ..RawActivity::default()
        };
        let errors = NewActivity::parse(&raw, date!(2025 - 06 - 02)).unwrap_err();
        for field in ["kind", "title", "heldOn", "theme", "reached"] {
            assert!(errors.for_field(field).is_some(), "{field}: {errors}");
        }
        let raw = RawActivity {
            kind: "schoolles".into(),
            title: "HackShield groep 8".into(),
            held_on: "2025-03-12".into(),
            theme: "cybercrime".into(),
            reached: "28".into(),
            ..RawActivity::default()
        };
        let a = NewActivity::parse(&raw, date!(2025 - 06 - 02)).unwrap();
        assert_eq!((a.reached, a.sessions), (28, 1));
    }
}
