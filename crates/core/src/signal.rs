//! Signals: the stored shape, the raw input from forms and the API, and the parser that turns
//! one into a [`NewSignal`] or a list of field errors.

use crate::calendar::local_date;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::access::Caller;
use crate::catalogue::Catalogue;
use crate::identifiers::AreaCode;
use crate::model::{
    AreaKind, Classification, InformationCredibility, Sharing, SourceKind, SourceReliability,
};
use crate::status::SignalStatus;
use crate::subject::{NewRelation, NewSubject, RelationInput, SubjectInput};
use crate::validation::{Axis, Format, Listed, Missing, Problem, ValidationErrors};

/// The configurable rules that intake applies to every new signal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IntakePolicy {
    pub retention: RetentionPolicy,
    pub deadlines: crate::deadline::DeadlinePolicy,
    /// Who may record BSNs on persons, on which legal basis (`[[intake.bsn.bases]]`).
    pub bsn: crate::identifiers::BsnPolicy,
}

/// How long signals are kept, per classification. Configuration data with defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionPolicy {
    pub signal_years: i32,
    pub bibob_years: i32,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        Self {
            signal_years: 5,
            bibob_years: 5,
        }
    }
}

impl RetentionPolicy {
    pub fn until(&self, received: Date, classification: Classification) -> Date {
        let years = if classification == Classification::Bibob {
            self.bibob_years
        } else {
            self.signal_years
        };
        let target_year = received.year() + years;
        Date::from_calendar_date(target_year, received.month(), received.day())
            .or_else(|_| Date::from_calendar_date(target_year, received.month(), 28))
            .unwrap_or(received)
    }
}

/// A signal as the store returns it to a caller who may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signal {
    pub id: Uuid,
    pub owner_org: Uuid,
    pub owner_org_name: String,
    pub created_by: Uuid,
    pub received_at: OffsetDateTime,
    pub observed_on: Option<Date>,
    pub source_kind: SourceKind,
    pub source_reliability: SourceReliability,
    pub information_credibility: InformationCredibility,
    pub themes: Vec<String>,
    pub indicators: Vec<String>,
    pub title: String,
    pub description: String,
    pub area_code: Option<String>,
    /// The area's name, when the area is known to this installation.
    pub area_name: Option<String>,
    /// Every area the signal lies in — the one typed with its parents, and those its
    /// coordinates fall in — most specific first (buurt before wijk before gemeente).
    pub areas: Vec<PlacedArea>,
    pub coordinates: Option<Coordinates>,
    pub address: Option<String>,
    pub classification: Classification,
    pub sharing: Sharing,
    pub status: SignalStatus,
    pub retention_until: Date,
    /// The day triage must be done by (working days per theme).
    pub deadline: Option<Date>,
    pub assigned_user: Option<Uuid>,
    pub assigned_user_name: Option<String>,
    pub assigned_team: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// An area a signal lies in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlacedArea {
    pub code: String,
    /// The area's name, when the area is known to this installation.
    pub name: Option<String>,
    pub kind: AreaKind,
}

/// One entry of a signal's history; appended, never edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusHistoryEntry {
    pub at: OffsetDateTime,
    pub by_user: Uuid,
    pub by_name: String,
    pub from: Option<SignalStatus>,
    pub to: SignalStatus,
    pub reason: String,
    /// Set when the entry records an assignment (the status stays the same).
    pub assignment: Option<AssignedTo>,
}

/// To whom a signal was assigned: a person (their name at the time), a team, both, or
/// nobody (both `None`: the assignment was taken away).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignedTo {
    pub name: Option<String>,
    pub team: Option<String>,
}

/// Raw input, as a form or the API delivers it. Field names are the API's (camelCase).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct SignalInput {
    /// A short title (at most 200 characters).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub title: Option<String>,
    /// What was observed (at most 10,000 characters).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub description: Option<String>,
    pub received_at: Option<String>,
    pub observed_on: Option<String>,
    /// `partner`, `veldbezoek`, `controle`, `anoniem-formulier`, `interne-afdeling`,
    /// `bondgenotennetwerk` or `meld-misdaad-anoniem`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub source_kind: Option<String>,
    /// Admiralty: `A` to `F`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub source_reliability: Option<String>,
    /// Admiralty: `1` to `6`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub information_credibility: Option<String>,
    /// Theme codes of the catalogue; at least one.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub themes: Vec<String>,
    pub indicators: Vec<String>,
    pub area_code: Option<String>,
    /// WGS84 latitude in decimal degrees; a JSON number or text.
    #[serde(deserialize_with = "de::string_or_number")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub latitude: Option<String>,
    /// WGS84 longitude in decimal degrees; a JSON number or text.
    #[serde(deserialize_with = "de::string_or_number")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub longitude: Option<String>,
    pub address: Option<String>,
    pub classification: Option<String>,
    pub sharing: Option<String>,
    pub retention_until: Option<String>,
    /// Persons, organisations, addresses, vehicles, phone numbers, e-mail addresses and IBANs
    /// the signal names, each with its role.
    #[serde(deserialize_with = "de::objects")]
    pub subjects: Vec<SubjectInput>,
    /// Relations between the subjects above, by position (0-based).
    #[serde(deserialize_with = "de::objects")]
    pub relations: Vec<RelationInput>,
}

/// A parsed, permitted new signal: every field valid, every code known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSignal {
    pub received_at: OffsetDateTime,
    pub observed_on: Option<Date>,
    pub source_kind: SourceKind,
    pub source_reliability: SourceReliability,
    pub information_credibility: InformationCredibility,
    pub themes: Vec<String>,
    pub indicators: Vec<String>,
    pub title: String,
    pub description: String,
    pub area: Option<AreaCode>,
    pub coordinates: Option<Coordinates>,
    pub address: Option<String>,
    pub classification: Classification,
    pub sharing: Sharing,
    pub retention_until: Date,
    pub deadline: Date,
    pub subjects: Vec<NewSubject>,
    pub relations: Vec<NewRelation>,
}

/// A WGS84 point inside the Netherlands, kept in micro-degrees (about 0.1 m) so that it is
/// exact, comparable and stored the same way on every engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coordinates {
    pub lat_micro: i64,
    pub lon_micro: i64,
}

impl Coordinates {
    /// The bounding box of the Netherlands (land and territorial waters, generously).
    const LAT: (f64, f64) = (50.70, 53.70);
    const LON: (f64, f64) = (3.20, 7.30);

    pub fn parse(lat: &str, lon: &str) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let mut one =
            |field: &str, text: &str, (min, max): (f64, f64), axis: Axis| -> Option<i64> {
                match text.trim().replace(',', ".").parse::<f64>() {
                    Ok(v) if v.is_finite() && (min..=max).contains(&v) => {
                        Some((v * 1_000_000.0).round() as i64)
                    }
                    Ok(_) => {
                        e.push(
                            field,
                            Problem::OutsideNetherlands {
                                axis,
                                min: min.to_string(),
                                max: max.to_string(),
                            },
                        );
                        None
                    }
                    Err(_) => {
                        let format = match axis {
                            Axis::Latitude => Format::Latitude,
                            Axis::Longitude => Format::Longitude,
                        };
                        e.push(
                            field,
                            Problem::NotA {
                                format,
                                given: text.trim().to_string(),
                            },
                        );
                        None
                    }
                }
            };
        let lat = one("latitude", lat, Self::LAT, Axis::Latitude);
        let lon = one("longitude", lon, Self::LON, Axis::Longitude);
        match (lat, lon) {
            (Some(lat_micro), Some(lon_micro)) => Ok(Self {
                lat_micro,
                lon_micro,
            }),
            _ => Err(e),
        }
    }

    /// Both given, or neither (`None`); one without the other is named.
    pub fn parse_optional(lat: &str, lon: &str) -> Result<Option<Self>, ValidationErrors> {
        let mut e = ValidationErrors::new();
        match (lat.trim(), lon.trim()) {
            ("", "") => Ok(None),
            ("", _) => {
                e.push(
                    "latitude",
                    Problem::CoordinateWithoutPartner(Axis::Latitude),
                );
                Err(e)
            }
            (_, "") => {
                e.push(
                    "longitude",
                    Problem::CoordinateWithoutPartner(Axis::Longitude),
                );
                Err(e)
            }
            (lat, lon) => Self::parse(lat, lon).map(Some),
        }
    }

    pub fn latitude(&self) -> f64 {
        self.lat_micro as f64 / 1_000_000.0
    }

    pub fn longitude(&self) -> f64 {
        self.lon_micro as f64 / 1_000_000.0
    }
}

impl std::fmt::Display for Coordinates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.6}, {:.6}", self.latitude(), self.longitude())
    }
}

fn trimmed(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

pub fn format_date(d: Date) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    d.format(&fmt).unwrap_or_default()
}

/// A calendar day as people write it: `JJJJ-MM-DD` (ISO 8601, the API's form) or the Dutch
/// `dd-mm-jjjj`, also with one-digit day or month (`5-3-2026`) and with slashes
/// (`15/10/2026`). Day first: in the Netherlands 05-03 is the fifth of March.
pub fn parse_date(s: &str) -> Result<Date, Problem> {
    let s = s.trim();
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    let dutch = time::macros::format_description!("[day padding:none]-[month padding:none]-[year]");
    Date::parse(s, &iso)
        .or_else(|_| Date::parse(&s.replace('/', "-"), &dutch))
        .map_err(|_| Problem::NotA {
            format: Format::Date,
            given: s.to_string(),
        })
}

/// A date-time with any offset (returned in UTC); a day with a time of day in the Netherlands
/// (`15-10-2026 14:30`, `2026-10-15 14:30`); or a plain day (taken as the start of that day in
/// the Netherlands).
pub fn parse_date_time(s: &str) -> Result<OffsetDateTime, Problem> {
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Ok(t.to_offset(time::UtcOffset::UTC));
    }
    let not_a = || Problem::NotA {
        format: Format::DateTime,
        given: s.to_string(),
    };
    if let Some((day, clock)) = s.split_once(' ') {
        let hm = time::macros::format_description!("[hour padding:none]:[minute]");
        let day = parse_date(day).map_err(|_| not_a())?;
        let clock = time::Time::parse(clock.trim(), &hm).map_err(|_| not_a())?;
        return crate::calendar::local_moment(day, clock).ok_or_else(not_a);
    }
    parse_date(s)
        .ok()
        .and_then(crate::calendar::start_of_day)
        .ok_or_else(not_a)
}

fn limited(
    errors: &mut ValidationErrors,
    field: &str,
    value: Option<&str>,
    max: usize,
    required: Option<Missing>,
) -> Option<String> {
    match value {
        None => {
            if let Some(missing) = required {
                errors.push(field, missing);
            }
            None
        }
        Some(v) if v.chars().count() > max => {
            errors.push(field, Problem::TooLong { max });
            None
        }
        Some(v) => Some(v.to_string()),
    }
}

impl NewSignal {
    /// Parses raw input for `caller` against the theme catalogue at time `now`.
    pub fn parse(
        input: &SignalInput,
        catalogue: &Catalogue,
        caller: &Caller,
        policy: &IntakePolicy,
        now: OffsetDateTime,
    ) -> Result<NewSignal, ValidationErrors> {
        let retention = &policy.retention;
        let mut e = ValidationErrors::new();
        let title = limited(
            &mut e,
            "title",
            trimmed(&input.title),
            200,
            Some(Missing::Title),
        );
        let description = limited(
            &mut e,
            "description",
            trimmed(&input.description),
            10_000,
            Some(Missing::Observation),
        );
        let received_at = match trimmed(&input.received_at) {
            None => Some(now),
            Some(s) => match parse_date_time(s) {
                Ok(t) if t > now + Duration::days(1) => {
                    e.push("receivedAt", Problem::InFuture);
                    None
                }
                Ok(t) => Some(t),
                Err(m) => {
                    e.push("receivedAt", m);
                    None
                }
            },
        };
        let observed_on = match trimmed(&input.observed_on) {
            None => None,
            Some(s) => match parse_date(s) {
                Ok(d) if d > local_date(now) => {
                    e.push("observedOn", Problem::InFuture);
                    None
                }
                Ok(d) => Some(d),
                Err(m) => {
                    e.push("observedOn", m);
                    None
                }
            },
        };
        let source_kind = e.take(
            "sourceKind",
            SourceKind::parse(trimmed(&input.source_kind).unwrap_or("")),
        );
        let source_reliability = e.take(
            "sourceReliability",
            SourceReliability::parse(
                &trimmed(&input.source_reliability)
                    .unwrap_or("")
                    .to_ascii_uppercase(),
            ),
        );
        let information_credibility = e.take(
            "informationCredibility",
            InformationCredibility::parse(trimmed(&input.information_credibility).unwrap_or("")),
        );

        let mut themes: Vec<String> = Vec::new();
        for t in input
            .themes
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
        {
            if catalogue.theme(t).is_none() {
                let known: Vec<&str> = catalogue.themes.iter().map(|t| t.code.as_str()).collect();
                e.push(
                    "themes",
                    Problem::UnknownTheme {
                        given: t.to_string(),
                        known: known.iter().map(|k| k.to_string()).collect(),
                    },
                );
            } else if !themes.iter().any(|x| x == t) {
                themes.push(t.to_string());
            }
        }
        if themes.is_empty() && e.for_field("themes").is_none() {
            e.push("themes", Missing::Theme);
        }
        let mut indicators: Vec<String> = Vec::new();
        for i in input
            .indicators
            .iter()
            .map(|i| i.trim())
            .filter(|i| !i.is_empty())
        {
            match catalogue.indicator(i) {
                None => e.push(
                    "indicators",
                    Problem::UnknownIndicator {
                        given: i.to_string(),
                    },
                ),
                Some((theme, _)) if !themes.contains(&theme.code) => e.push(
                    "indicators",
                    Problem::IndicatorOfUnchosenTheme {
                        indicator: i.to_string(),
                        theme_name: theme.name.clone(),
                    },
                ),
                Some(_) => {
                    if !indicators.iter().any(|x| x == i) {
                        indicators.push(i.to_string());
                    }
                }
            }
        }
        let area = match trimmed(&input.area_code) {
            None => None,
            Some(s) => e.take("areaCode", AreaCode::parse(s)),
        };
        let coordinates = match Coordinates::parse_optional(
            trimmed(&input.latitude).unwrap_or(""),
            trimmed(&input.longitude).unwrap_or(""),
        ) {
            Ok(c) => c,
            Err(errors) => {
                e.0.extend(errors.0);
                None
            }
        };
        let address = limited(&mut e, "address", trimmed(&input.address), 300, None);
        let classification = e.take(
            "classification",
            Classification::parse(trimmed(&input.classification).unwrap_or("intern")),
        );
        if let Some(c) = classification {
            if !caller.may_classify(c) {
                e.push("classification", Problem::BibobClassificationReserved);
            }
        }
        let (subjects, relations) = parse_subjects(
            (&input.subjects, &input.relations),
            policy.bsn.basis_for(caller),
            local_date(now),
            &mut e,
        );
        let sharing = e.take(
            "sharing",
            Sharing::parse(trimmed(&input.sharing).unwrap_or("convenant")),
        );
        let retention_until = match (trimmed(&input.retention_until), received_at, classification) {
            (Some(s), _, _) => match parse_date(s) {
                Ok(d) if d <= local_date(now) => {
                    e.push("retentionUntil", Problem::NotAfterToday);
                    None
                }
                Ok(d) => Some(d),
                Err(m) => {
                    e.push("retentionUntil", m);
                    None
                }
            },
            (None, Some(r), Some(c)) => Some(retention.until(local_date(r), c)),
            _ => None,
        };

        let deadline = received_at.map(|r| {
            crate::deadline::add_working_days(
                local_date(r),
                catalogue.deadline_days(&themes, policy.deadlines.default_working_days),
                policy.deadlines.public_holidays,
            )
        });
        match (
            title,
            description,
            received_at,
            source_kind,
            source_reliability,
            information_credibility,
            classification,
            sharing,
            retention_until,
        ) {
            (
                Some(title),
                Some(description),
                Some(received_at),
                Some(source_kind),
                Some(source_reliability),
                Some(information_credibility),
                Some(classification),
                Some(sharing),
                Some(retention_until),
            ) if e.is_empty() => Ok(NewSignal {
                received_at,
                observed_on,
                source_kind,
                source_reliability,
                information_credibility,
                themes,
                indicators,
                title,
                description,
                area,
                coordinates,
                address,
                classification,
                sharing,
                retention_until,
                deadline: deadline.unwrap_or(local_date(received_at)),
                subjects,
                relations,
            }),
            _ => Err(e),
        }
    }
}

/// Parses the subjects (blank form blocks are left out) and the relations between them.
fn parse_subjects(
    (inputs, relations): (&[SubjectInput], &[RelationInput]),
    bsn_basis: Option<&str>,
    today: Date,
    e: &mut ValidationErrors,
) -> (Vec<NewSubject>, Vec<NewRelation>) {
    const MAX_SUBJECTS: usize = 50;
    if inputs.len() > MAX_SUBJECTS {
        e.push("subjects", Problem::TooManySubjects { max: MAX_SUBJECTS });
        return (Vec::new(), Vec::new());
    }
    let mut subjects = Vec::new();
    let mut position: Vec<Option<usize>> = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        if input.is_blank() {
            // A blank block is left out, but not a kind or role no one knows.
            input.check_codes(i, e);
            position.push(None);
            continue;
        }
        match NewSubject::parse_with_bsn(input, i, today, bsn_basis) {
            Ok(s) => {
                position.push(Some(subjects.len()));
                subjects.push(s);
            }
            Err(errors) => {
                position.push(None);
                e.0.extend(errors.0);
            }
        }
    }
    let mut parsed = Vec::new();
    for (i, r) in relations.iter().enumerate() {
        if r.from.is_none()
            && r.to.is_none()
            && r.kind.as_deref().is_none_or(|k| k.trim().is_empty())
        {
            continue;
        }
        match NewRelation::parse(r, i, inputs.len()) {
            Ok(mut rel) => match (position[rel.from], position[rel.to]) {
                (Some(from), Some(to)) => {
                    rel.from = from;
                    rel.to = to;
                    parsed.push(rel);
                }
                (from, _) => {
                    let empty = if from.is_none() { rel.from } else { rel.to };
                    if inputs[empty].is_blank() {
                        e.push(
                            format!("relations[{i}]"),
                            Problem::SubjectNotFilledIn { number: empty + 1 },
                        );
                    }
                }
            },
            Err(errors) => e.0.extend(errors.0),
        }
    }
    (subjects, parsed)
}

/// Filters of the signal list, parsed from query parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignalFilter {
    pub theme: Option<String>,
    pub indicator: Option<String>,
    pub status: Option<SignalStatus>,
    /// Only signals still being handled (not closed and not assessed as "geen actie").
    pub open: bool,
    pub received_from: Option<Date>,
    pub received_until: Option<Date>,
    pub area: Option<AreaCode>,
    pub text: Option<String>,
    /// Only signals past their triage deadline and not yet assessed.
    pub overdue: bool,
    /// Only signals assigned to the caller.
    pub mine: bool,
}

/// Raw filter parameters (camelCase, as in the API's query string).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase", default)]
pub struct SignalFilterInput {
    pub theme: Option<String>,
    pub indicator: Option<String>,
    pub status: Option<String>,
    /// `true` for signals still being handled.
    pub open: Option<String>,
    pub received_from: Option<String>,
    pub received_until: Option<String>,
    pub area_code: Option<String>,
    pub q: Option<String>,
    /// `true` for signals past their triage deadline.
    pub overdue: Option<String>,
    /// `true` for signals assigned to the caller.
    pub assigned_to_me: Option<String>,
    /// Where the page begins: `nextCursor` or `previousCursor` of another page of the same
    /// list; absent for the first page.
    pub cursor: Option<String>,
    pub page_size: Option<String>,
    /// Page numbers are not read: lists are paged with `cursor`. Refused, so that a client
    /// written for numbers does not silently get the first page again.
    pub page: Option<String>,
}

impl SignalFilter {
    /// The filter with its period widened to whole calendar months: aggregates that leave
    /// the team are counted over fixed cells, so that two periods a day apart cannot be
    /// subtracted.
    pub fn in_whole_months(&self) -> SignalFilter {
        let first = |d: Date| d.replace_day(1).unwrap_or(d);
        let last = |d: Date| {
            let days = d.month().length(d.year());
            d.replace_day(days).unwrap_or(d)
        };
        SignalFilter {
            received_from: self.received_from.map(first),
            received_until: self.received_until.map(last),
            ..self.clone()
        }
    }
}

impl SignalFilterInput {
    /// Whether the filter names a theme or an indicator: only then does [`Self::parse`]
    /// consult the catalogue (a caller may pass an empty one otherwise).
    pub fn names_codes(&self) -> bool {
        trimmed(&self.theme).is_some() || trimmed(&self.indicator).is_some()
    }

    pub fn parse(
        &self,
        catalogue: &Catalogue,
    ) -> Result<(SignalFilter, PageRequest), ValidationErrors> {
        let mut e = ValidationErrors::new();
        let theme = trimmed(&self.theme).and_then(|t| {
            if catalogue.theme(t).is_some() {
                Some(t.to_string())
            } else {
                e.push(
                    "theme",
                    Problem::UnknownTheme {
                        given: t.to_string(),
                        known: Vec::new(),
                    },
                );
                None
            }
        });
        let indicator = trimmed(&self.indicator).and_then(|i| match catalogue.indicator(i) {
            Some((t, _)) if theme.as_ref().is_some_and(|theme| *theme != t.code) => {
                e.push(
                    "indicator",
                    Problem::IndicatorOfOtherTheme {
                        indicator: i.to_string(),
                        theme: t.code.clone(),
                    },
                );
                None
            }
            Some(_) => Some(i.to_string()),
            None => {
                e.push(
                    "indicator",
                    Problem::UnknownIndicator {
                        given: i.to_string(),
                    },
                );
                None
            }
        });
        let status = trimmed(&self.status).and_then(|s| e.take("status", SignalStatus::parse(s)));
        let received_from =
            trimmed(&self.received_from).and_then(|s| e.take("receivedFrom", parse_date(s)));
        let received_until =
            trimmed(&self.received_until).and_then(|s| e.take("receivedUntil", parse_date(s)));
        if let (Some(f), Some(u)) = (received_from, received_until) {
            if f > u {
                e.push("receivedUntil", Problem::BeforeStart);
            }
        }
        let area = trimmed(&self.area_code).and_then(|s| e.take("areaCode", AreaCode::parse(s)));
        let text = trimmed(&self.q).map(str::to_string);
        let mut flag = |field: &str, v: &Option<String>| match trimmed(v) {
            None | Some("false" | "nee" | "0") => false,
            Some("true" | "ja" | "1") => true,
            Some(other) => {
                e.push(
                    field,
                    Problem::NotA {
                        format: Format::YesNo,
                        given: other.to_string(),
                    },
                );
                false
            }
        };
        let overdue = flag("overdue", &self.overdue);
        let open = flag("open", &self.open);
        let mine = flag("assignedToMe", &self.assigned_to_me);
        let page = PageRequest::parse((self.cursor.as_deref(), self.page_size.as_deref()), &mut e);
        if self.page.is_some() {
            e.push("page", Problem::PageByCursor);
        }
        e.into_result(|| {
            (
                SignalFilter {
                    theme,
                    indicator,
                    status,
                    open,
                    received_from,
                    received_until,
                    area,
                    text,
                    overdue,
                    mine,
                },
                page,
            )
        })
    }
}

/// Assignment of a signal to a person of the owning organisation and/or a team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub user: Option<Uuid>,
    pub team: Option<String>,
    pub reason: String,
}

impl Assignment {
    /// The most characters of a reason, as for a status change.
    pub const MAX_REASON: usize = crate::status::StatusChange::MAX_REASON;

    pub fn parse(user: &str, team: &str, reason: &str) -> Result<Assignment, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let user = match user.trim() {
            "" => None,
            u => match Uuid::parse_str(u) {
                Ok(id) => Some(id),
                Err(_) => {
                    e.push("assignee", Problem::NotInList(Listed::Employee));
                    None
                }
            },
        };
        let team = Some(crate::subject::tidy(team)).filter(|t| !t.is_empty());
        if team.as_ref().is_some_and(|t| t.chars().count() > 100) {
            e.push("team", Problem::TooLong { max: 100 });
        }
        let reason = reason.trim().to_string();
        if reason.is_empty() {
            e.push("reason", Missing::AssignmentReason);
        } else if reason.chars().count() > Assignment::MAX_REASON {
            e.push(
                "reason",
                Problem::TooLong {
                    max: Assignment::MAX_REASON,
                },
            );
        }
        e.into_result(|| Assignment { user, team, reason })
    }
}

pub use crate::page::{Cursor, Page, PageRequest, Side, Total};

mod correction;
mod de;

pub use correction::{
    changes, kept_mentions, CorrectedField, CorrectionEntry, FieldChange, SignalCorrection,
};

#[cfg(test)]
mod tests;
