//! Figures published before — in a plan, an earlier report — and how the report computed
//! from records compares with them: where it differs, and where the publication contradicts
//! itself (its breakdown does not add up to its own total).

use serde::{Deserialize, Serialize};
use time::Date;

use super::{Dimension, FigureKey, Period, Report};
use crate::intervention::figures::Figure;
use crate::model::iso_date;
use crate::validation::{Missing, Problem};
use crate::ValidationErrors;

/// The longest source description.
pub const MAX_SOURCE: usize = 300;
/// The largest published number taken.
pub const MAX_VALUE: u64 = 1_000_000_000;

/// A published figure as the API sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawPublishedFigure {
    /// A figure key of the report (`bibob-toetsingen`).
    pub key: String,
    /// With `breakdownValue`: the breakdown (`soort-besluit`) and its value
    /// (`omgevingsvergunning`); both empty for the figure's total.
    pub dimension: String,
    pub breakdown_value: String,
    /// The period it was published for, `JJJJ-MM-DD` or `dd-mm-jjjj`.
    pub from: String,
    pub until: String,
    /// The number published.
    pub value: String,
    /// Where it was published.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedFigure {
    pub key: FigureKey,
    pub breakdown: Option<(Dimension, String)>,
    pub period: Period,
    pub value: u64,
    pub source: String,
}

impl RawPublishedFigure {
    pub fn parse(&self) -> Result<PublishedFigure, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let key = FigureKey::parse(&self.key)
            .map_err(|p| e.push("key", p))
            .ok();
        let breakdown = match (self.dimension.trim(), self.breakdown_value.trim()) {
            ("", "") => None,
            (_, "") => {
                e.push("breakdownValue", Problem::Missing(Missing::Name));
                None
            }
            (d, v) => Dimension::parse(d)
                .map_err(|p| e.push("dimension", p))
                .ok()
                .map(|d| (d, v.chars().take(100).collect())),
        };
        let day = |e: &mut ValidationErrors, field: &str, text: &str| {
            crate::intervention::details::dutch_or_iso_date(text.trim())
                .map_err(|p| e.push(field, p))
                .ok()
        };
        let from = day(&mut e, "from", &self.from);
        let until = day(&mut e, "until", &self.until);
        let period = match (from, until) {
            (Some(f), Some(u)) => Period::new(f, u).map_err(|p| e.push("until", p)).ok(),
            _ => None,
        };
        let value = match self.value.trim().parse::<u64>() {
            Ok(v) if v <= MAX_VALUE => Some(v),
            _ => {
                e.push(
                    "value",
                    Problem::NotA {
                        format: crate::validation::Format::WholeCount,
                        given: self.value.chars().take(20).collect(),
                    },
                );
                None
            }
        };
        let source = self.source.trim();
        if source.is_empty() {
            e.push("source", Problem::Missing(Missing::Name));
        } else if source.chars().count() > MAX_SOURCE {
            e.push("source", Problem::TooLong { max: MAX_SOURCE });
        }
        match (key, period, value) {
            (Some(key), Some(period), Some(value)) if e.is_empty() => Ok(PublishedFigure {
                key,
                breakdown,
                period,
                value,
                source: source.to_string(),
            }),
            _ => Err(e),
        }
    }
}

impl crate::Caller {
    /// Recording what was published before: analysts and the Bibob coördinator.
    pub fn may_record_published_figures(&self) -> bool {
        self.has(crate::Role::Analist) || self.has(crate::Role::BibobCoordinator)
    }
}

/// A published number that the records do not give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Difference {
    pub key: FigureKey,
    pub dimension: Option<Dimension>,
    pub breakdown_value: Option<String>,
    pub published: u64,
    /// What the records give (exact: differences are shown only where the reader sees the
    /// exact count).
    pub computed: u64,
    pub source: String,
}

/// A publication whose breakdown does not add up to its own total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contradiction {
    pub key: FigureKey,
    pub dimension: Dimension,
    pub published_total: u64,
    pub published_sum: u64,
    pub source: String,
    #[serde(with = "iso_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub from: Date,
    #[serde(with = "iso_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub until: Date,
}

fn computed(report: &Report, p: &PublishedFigure) -> Option<Figure> {
    let figure = report.figure(p.key)?;
    match &p.breakdown {
        None => Some(figure.count.clone()),
        Some((dimension, value)) => {
            let b = figure
                .breakdowns
                .iter()
                .find(|b| b.dimension == *dimension)?;
            Some(
                b.rows
                    .iter()
                    .find(|r| &r.value == value)
                    .map_or_else(|| Figure::exact(0), |r| r.count.clone()),
            )
        }
    }
}

/// The differences and contradictions of `published` (those for the report's period).
pub fn compare(
    report: &Report,
    published: &[PublishedFigure],
) -> (Vec<Difference>, Vec<Contradiction>) {
    let mine: Vec<&PublishedFigure> = published
        .iter()
        .filter(|p| p.period.from() == report.from && p.period.until() == report.until)
        .collect();
    let mut differences = Vec::new();
    for p in &mine {
        let Some(figure) = computed(report, p) else {
            continue;
        };
        let exact = report.figure(p.key).is_some_and(|f| !f.suppressed);
        match figure.value {
            Some(v) if exact && v != p.value => differences.push(Difference {
                key: p.key,
                dimension: p.breakdown.as_ref().map(|b| b.0),
                breakdown_value: p.breakdown.as_ref().map(|b| b.1.clone()),
                published: p.value,
                computed: v,
                source: p.source.clone(),
            }),
            _ => {}
        }
    }
    let mut contradictions = Vec::new();
    for total in mine
        .iter()
        .filter(|p| p.breakdown.is_none() && report.figure(p.key).is_some())
    {
        for dimension in Dimension::ALL {
            let parts: Vec<u64> = mine
                .iter()
                .filter(|p| p.key == total.key && p.source == total.source)
                .filter_map(|p| {
                    p.breakdown
                        .as_ref()
                        .filter(|b| b.0 == *dimension)
                        .map(|_| p.value)
                })
                .collect();
            let sum: u64 = parts.iter().sum();
            // Outcomes may list only some (the plan names the refusals, not the grants).
            let complete = *dimension != Dimension::Outcome;
            if !parts.is_empty() && complete && sum != total.value {
                contradictions.push(Contradiction {
                    key: total.key,
                    dimension: *dimension,
                    published_total: total.value,
                    published_sum: sum,
                    source: total.source.clone(),
                    from: report.from,
                    until: report.until,
                });
            }
        }
    }
    (differences, contradictions)
}
