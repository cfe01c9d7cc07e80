//! The nouns of the picture (DESIGN.md §5 "give meaning"): bases that turn counts into rates,
//! and the aggregate questions the store answers for maps, charts and deviation tables.

use serde::{Deserialize, Serialize};

use crate::identifiers::AreaCode;
use crate::model::{slug_enum, AreaKind};
use crate::signal::SignalFilter;
use crate::validation::{Format, Missing, Problem, ValidationErrors};

slug_enum!(
    /// What a rate is "per": the denominator of a count in an area.
    BaseKind {
        Inwoners => "inwoners";
        Adressen => "adressen";
        Bedrijven => "bedrijven";
    }
);

/// The size of an area's base in a reference year, with where the figure comes from (shown
/// next to every rate, so nobody mistakes a demo figure for a CBS one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaBase {
    pub area_code: String,
    pub kind: BaseKind,
    pub year: i32,
    pub value: u64,
    pub source: String,
}

impl AreaBase {
    /// Parses one row of a base file. `row` names the line in error messages.
    pub fn parse(
        row: usize,
        code: &str,
        value: &str,
        kind: BaseKind,
        year: i32,
        source: &str,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let code = match AreaCode::parse(code) {
            Ok(c) => Some(c),
            Err(e) => {
                errors.push(format!("rij {row}: code"), e);
                None
            }
        };
        let value = match whole_number(value) {
            Some(v) => Some(v),
            None => {
                errors.push(
                    format!("rij {row}: aantal"),
                    Problem::NotA {
                        format: Format::WholeCount,
                        given: value.trim().to_string(),
                    },
                );
                None
            }
        };
        if source.trim().is_empty() {
            errors.push("bron", Missing::CountSource);
        }
        match (code, value) {
            (Some(code), Some(value)) if errors.is_empty() => Ok(Self {
                area_code: code.to_string(),
                kind,
                year,
                value,
                source: source.trim().to_string(),
            }),
            _ => Err(errors),
        }
    }
}

/// A whole number as Dutch files write it: digits, optionally grouped by thousands with dots
/// or spaces ("20.485", "20 485"). "20.5" or "20485.0" are refused rather than misread.
fn whole_number(text: &str) -> Option<u64> {
    let t = text.trim();
    let groups: Vec<&str> = t.split(['.', ' ', '\u{a0}']).collect();
    let grouped = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3);
    if groups.len() > 1 && !grouped {
        return None;
    }
    if !groups
        .iter()
        .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    groups.concat().parse().ok()
}

/// How counted signals are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountGroup {
    /// Per area of this kind (signals placed in it).
    Area(AreaKind),
    /// Per calendar month of receipt (`YYYY-MM`).
    Month,
    /// Per owning organisation (its name).
    Organisation,
}

impl CountGroup {
    /// A stable name for logs and audit details: `area:buurt`, `month`, `organisation`.
    pub fn slug(&self) -> String {
        match self {
            CountGroup::Area(kind) => format!("area:{}", kind.slug()),
            CountGroup::Month => "month".into(),
            CountGroup::Organisation => "organisation".into(),
        }
    }
}

/// An aggregate question: the signals that pass `filter`, counted per `group`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountQuery {
    pub filter: SignalFilter,
    pub group: CountGroup,
}

slug_enum!(
    /// What a map shows per area.
    Measure {
        Aantal => "aantal";
        Rate => "per-1000";
        Afwijking => "afwijking";
        Clusters => "clusters";
        Hotspots => "hotspots";
    }
);

/// Raw parameters of a map, deviation table or area picture (query string; English names as
/// in the API).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase", default)]
pub struct PictureInput {
    /// `wijk` (default), `buurt`, `bedrijventerrein` or `buitengebied`.
    pub level: Option<String>,
    pub theme: Option<String>,
    pub indicator: Option<String>,
    /// `inwoners` (default), `adressen` or `bedrijven`.
    pub base: Option<String>,
    /// `aantal` (default), `per-1000`, `afwijking`, `clusters` (local Moran's I) or `hotspots` (Gi*).
    pub measure: Option<String>,
    /// First day of receipt (YYYY-MM-DD).
    pub received_from: Option<String>,
    /// Last day of receipt (YYYY-MM-DD).
    pub received_until: Option<String>,
}

/// A parsed picture question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PictureQuery {
    pub level: AreaKind,
    pub filter: SignalFilter,
    pub base: BaseKind,
    pub measure: Measure,
}

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl PictureInput {
    pub fn parse(
        &self,
        catalogue: &crate::catalogue::Catalogue,
    ) -> Result<PictureQuery, ValidationErrors> {
        let filter_input = crate::signal::SignalFilterInput {
            theme: self.theme.clone(),
            indicator: self.indicator.clone(),
            received_from: self.received_from.clone(),
            received_until: self.received_until.clone(),
            ..Default::default()
        };
        let filter = filter_input.parse(catalogue).map(|(f, _)| f);
        let mut e = match &filter {
            Ok(_) => ValidationErrors::new(),
            Err(errors) => errors.clone(),
        };
        let level = match present(&self.level) {
            None => Some(AreaKind::Wijk),
            Some(l) => match AreaKind::parse(l) {
                Ok(AreaKind::Gemeente) => {
                    e.push("level", Problem::PictureLevel);
                    None
                }
                other => e.take("level", other),
            },
        };
        let base = present(&self.base).map_or(Some(BaseKind::Inwoners), |b| {
            e.take("base", BaseKind::parse(b))
        });
        let measure = present(&self.measure).map_or(Some(Measure::Aantal), |m| {
            e.take("measure", Measure::parse(m))
        });
        match (filter, level, base, measure) {
            (Ok(filter), Some(level), Some(base), Some(measure)) if e.is_empty() => {
                Ok(PictureQuery {
                    level,
                    filter,
                    base,
                    measure,
                })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_figures_are_read_the_dutch_way_and_never_misread() {
        assert_eq!(whole_number("20.485"), Some(20_485));
        assert_eq!(whole_number(" 1 234 567 "), Some(1_234_567));
        assert_eq!(whole_number("0"), Some(0));
        for bad in ["20.5", "20485.0", "-3", "", "1.23.4", "veel", ".485"] {
            assert_eq!(whole_number(bad), None, "{bad}");
        }
        let e = AreaBase::parse(7, "WK0014", "12,5", BaseKind::Inwoners, 2024, "CBS").unwrap_err();
        assert_eq!(e.0.len(), 2);
        assert_eq!(e.0[0].field, "rij 7: code");
        assert_eq!(e.0[1].field, "rij 7: aantal");
        let ok =
            AreaBase::parse(2, "wk001400", "20.485", BaseKind::Inwoners, 2024, " CBS ").unwrap();
        assert_eq!(
            (ok.area_code.as_str(), ok.value, ok.source.as_str()),
            ("WK001400", 20_485, "CBS")
        );
    }

    #[test]
    fn picture_questions_name_every_bad_field() {
        let catalogue = crate::catalogue::Catalogue::groningen_defaults();
        let q = PictureInput::default().parse(&catalogue).unwrap();
        assert_eq!(
            (q.level, q.base, q.measure),
            (AreaKind::Wijk, BaseKind::Inwoners, Measure::Aantal)
        );
        let bad = PictureInput {
            level: Some("gemeente".into()),
            theme: Some("vuurwerk".into()),
            base: Some("koeien".into()),
            measure: Some("hoogte".into()),
            ..Default::default()
        };
        let fields: Vec<String> = bad
            .parse(&catalogue)
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["theme", "level", "base", "measure"]);
    }
}
