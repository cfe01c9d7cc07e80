//! The report in Dutch, ready for a template, a PDF or a workbook.

use askama::Template;
use baken_core::model::Area;
use baken_core::report::effects::{Effect, Measure};
use baken_core::report::{
    BreakdownRow, CommitmentLine, Dimension, RecordKind, Report, ReportFigure, ReportReaders,
};
use baken_geo::MultiPolygon;
use baken_picture::map::{self, LegendEntry, MapArea, MapSpec};
use time::Date;

use crate::labels::report::{definition, effect_definition, value_label};
use crate::labels::Label;

/// Whether the records behind a figure become links (the web page) or are listed (files).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drill {
    Links,
    Listed,
}

pub struct RecordView {
    pub href: Option<String>,
    pub label: String,
}

pub struct RowView {
    pub label: String,
    pub shown: String,
    /// Bar length, 0–200 (pixels in the chart).
    pub bar: u32,
}

pub struct BreakdownView {
    pub title: &'static str,
    pub rows: Vec<RowView>,
}

pub struct FigureView {
    /// Unique on the page.
    pub anchor: String,
    pub title: String,
    pub shown: String,
    pub of: Option<String>,
    /// "62 %" when the figure is a part of a whole and both are exact.
    pub share: Option<String>,
    pub definition: &'static str,
    pub suppressed: bool,
    pub breakdowns: Vec<BreakdownView>,
    /// The figure by wijk on a map, when it is broken down by wijk and the wijken have
    /// boundaries; the breakdown's table is its text alternative.
    pub map: Option<MapView>,
    pub records: Vec<RecordView>,
    /// "Het gegeven dat dit cijfer telt" / "De 14 gegevens die dit cijfer telt".
    pub records_summary: String,
}

pub struct CommitmentView {
    pub text: String,
    pub owner: String,
    pub due: String,
    pub status: &'static str,
    /// ", 1 gekoppeld gegeven" or empty.
    pub evidence: String,
}

pub struct ChapterView {
    pub title: &'static str,
    pub promised: Vec<CommitmentView>,
    pub figures: Vec<FigureView>,
    pub planned: Vec<CommitmentView>,
}

pub struct EffectRowView {
    pub group: String,
    pub n: String,
    pub value: String,
}

pub struct EffectView {
    pub title: &'static str,
    pub kind: &'static str,
    pub definition: &'static str,
    pub rows: Vec<EffectRowView>,
}

/// The report as it is read.
pub struct ReportView {
    pub title: String,
    pub period: String,
    pub readers: &'static str,
    pub protection: String,
    pub bibob_note: &'static str,
    pub chapters: Vec<ChapterView>,
    pub effects: Vec<EffectView>,
    /// Why effects were left out for this reader, when they were: the report says so.
    pub effects_withheld: Option<&'static str>,
    /// Where figures published before differ from the records, and where a publication
    /// contradicts itself — in sentences.
    pub differences: Vec<String>,
}

pub(super) fn day(d: Date) -> String {
    crate::wording::day(d)
}

/// A count as shown, with thousands separated by dots ("25.000"); "<5" and "–" as they are.
fn shown(text: &str) -> String {
    text.parse::<u64>()
        .map_or_else(|_| text.to_string(), crate::wording::number)
}

/// A share as a whole percentage, half rounded up as Dutch readers expect (62,5 → 63%;
/// formatting alone would round half to even).
fn percent(x: f64) -> String {
    format!("{:.0}%", (x * 100.0).round())
}

/// A decimal number the Dutch way (1,5).
fn decimal(x: f64, places: usize) -> String {
    format!("{x:.places$}").replace('.', ",")
}

fn commitment(c: &CommitmentLine, readers: ReportReaders) -> CommitmentView {
    CommitmentView {
        text: c.text.clone(),
        owner: c.owner.clone(),
        due: c.due_on.map(day).unwrap_or_default(),
        status: c.status.label(),
        // How many records show progress is a count too: not for readers outside the team.
        evidence: match if readers == ReportReaders::Team {
            c.evidence
        } else {
            0
        } {
            0 => String::new(),
            1 => ", 1 gekoppeld gegeven".into(),
            n => format!(", {n} gekoppelde gegevens"),
        },
    }
}

fn record(kind: RecordKind, id: uuid::Uuid, drill: Drill) -> RecordView {
    let href = match (drill, kind) {
        (Drill::Listed, _) => None,
        (Drill::Links, RecordKind::Intervention) => Some(format!("/interventies/{id}")),
        (Drill::Links, RecordKind::Visit) => Some(format!("/veld/{id}")),
        (Drill::Links, RecordKind::Signal) => Some(format!("/signalen/{id}")),
        (Drill::Links, RecordKind::Activity) => Some("/activiteiten".to_string()),
        (Drill::Links, RecordKind::BarrierModel) => Some(format!("/barrieremodellen/{id}")),
    };
    RecordView {
        href,
        // The end of the id: its start is a timestamp, the same for records made together.
        label: format!("{} …{}", kind.label(), &id.simple().to_string()[24..]),
    }
}

/// The wijken with their boundaries, for the maps.
pub type Wijken<'a> = &'a [(Area, Option<MultiPolygon<f64>>)];

/// What a report map's legend counts.
pub const MAP_LEGEND_TITLE: &str = "Aantal";

/// A map of a figure by wijk, for any format.
pub struct MapView {
    pub id: String,
    pub title: String,
    pub areas: Vec<MapAreaView>,
    pub legend: Vec<LegendEntry>,
}

pub struct MapAreaView {
    pub name: String,
    pub shape: MultiPolygon<f64>,
    /// A fill of [`map::SEQUENTIAL`], [`map::ZERO`] or [`map::NO_VALUE`].
    pub fill: &'static str,
    /// The count protected (hidden or withheld): hatched.
    pub hatched: bool,
    pub caption: String,
}

impl MapView {
    /// The map as an SVG image (for HTML).
    pub fn svg(&self) -> String {
        map::render(&MapSpec {
            id: self.id.clone(),
            title: self.title.clone(),
            areas: self
                .areas
                .iter()
                .map(|a| MapArea {
                    name: &a.name,
                    href: String::new(),
                    shape: &a.shape,
                    fill: a.fill,
                    caption: a.caption.clone(),
                    hatched: a.hatched,
                    highlighted: false,
                })
                .collect(),
            markers: Vec::new(),
            legend_title: MAP_LEGEND_TITLE.into(),
            legend: self
                .legend
                .iter()
                .map(|l| LegendEntry {
                    label: l.label.clone(),
                    colour: l.colour,
                    hatched: l.hatched,
                })
                .collect(),
            width: 420.0,
        })
    }
}

/// The wijk rows on a map: filled by class of their count, hatched where the count is
/// protected below the threshold (or withheld).
fn wijk_map(id: &str, title: &str, rows: &[BreakdownRow], wijken: Wijken<'_>) -> Option<MapView> {
    // Classes from the wijken on the map only (not from the records without a place); four
    // classes from the palette's second colour, so that the lowest stands out from zero.
    let on_map = |r: &&BreakdownRow| wijken.iter().any(|(a, s)| s.is_some() && a.code == r.value);
    let values: Vec<f64> = rows
        .iter()
        .filter(on_map)
        .filter_map(|r| r.count.value)
        .map(|v| v as f64)
        .collect();
    let palette = &map::SEQUENTIAL[1..];
    let breaks = map::quantile_breaks(&values, palette.len());
    let mut hatched_any = false;
    let areas: Vec<MapAreaView> = wijken
        .iter()
        .filter_map(|(area, shape)| {
            let shape = shape.as_ref()?;
            let row = rows.iter().find(|r| r.value == area.code)?;
            let (fill, hatched) = match row.count.value {
                None => (map::NO_VALUE, true),
                Some(v) => match map::class_of(v as f64, &breaks) {
                    None => (map::ZERO, false),
                    Some(c) => (palette[c.min(palette.len() - 1)], false),
                },
            };
            hatched_any |= hatched;
            Some(MapAreaView {
                name: area.name.clone(),
                shape: shape.clone(),
                fill,
                caption: shown(&row.count.shown),
                hatched,
            })
        })
        .collect();
    if areas.is_empty() {
        return None;
    }
    let mut legend = Vec::new();
    if areas.iter().any(|a| a.fill == map::ZERO) {
        legend.push(LegendEntry {
            label: "0".into(),
            colour: map::ZERO,
            hatched: false,
        });
    }
    legend.extend(
        map::break_labels(&breaks, 0)
            .into_iter()
            .zip(palette.iter().copied())
            .map(|(label, colour)| LegendEntry {
                label,
                colour,
                hatched: false,
            }),
    );
    if hatched_any {
        legend.push(LegendEntry {
            label: "afgeschermd".into(),
            colour: map::NO_VALUE,
            hatched: true,
        });
    }
    // What the map cannot show: the records without a place (in the table beside it).
    if let Some(row) = rows
        .iter()
        .find(|r| r.value == baken_core::report::UNKNOWN)
        .filter(|r| r.count.value != Some(0))
    {
        legend.push(LegendEntry {
            label: format!(
                "{} zonder vastgelegde plaats (niet op de kaart)",
                shown(&row.count.shown)
            ),
            colour: "#ffffff",
            hatched: false,
        });
    }
    Some(MapView {
        id: format!("kaart-{id}"),
        title: format!("{title}, per wijk"),
        areas,
        legend,
    })
}

fn row_label(dimension: Dimension, value: &str, wijken: Wijken<'_>) -> String {
    if dimension == Dimension::Wijk {
        if let Some((area, _)) = wijken.iter().find(|(a, _)| a.code == value) {
            return area.name.clone();
        }
    }
    value_label(dimension, value)
}

fn figure(f: &ReportFigure, drill: Drill, wijken: Wijken<'_>) -> FigureView {
    let model = f
        .breakdowns
        .iter()
        .find(|b| b.dimension == baken_core::report::Dimension::Model)
        .and_then(|b| b.rows.first())
        .map(|r| r.value.clone());
    let title = match &model {
        Some(m) => format!(
            "{}: {}",
            f.key.label(),
            value_label(baken_core::report::Dimension::Model, m)
        ),
        None => f.key.label().to_string(),
    };
    let records = f.records.as_ref().map_or(0, Vec::len);
    let share = match (f.count.value, f.of.as_ref().and_then(|o| o.value)) {
        (Some(k), Some(n)) if n > 0 && !f.suppressed => Some(percent(k as f64 / n as f64)),
        _ => None,
    };
    let anchor = format!(
        "{}-{}{}",
        f.chapter.slug(),
        f.key.slug(),
        model.map(|m| format!("-{m}")).unwrap_or_default()
    );
    let map = f
        .breakdowns
        .iter()
        .find(|b| b.dimension == Dimension::Wijk)
        .and_then(|b| wijk_map(&anchor, &title, &b.rows, wijken));
    FigureView {
        anchor,
        map,
        title,
        records_summary: match records {
            1 => "Het gegeven dat dit cijfer telt".into(),
            n => format!("De {n} gegevens die dit cijfer telt"),
        },
        shown: shown(&f.count.shown),
        of: f.of.as_ref().map(|o| shown(&o.shown)),
        share,
        definition: definition(f.key),
        suppressed: f.suppressed,
        breakdowns: f
            .breakdowns
            .iter()
            .filter(|b| b.dimension != baken_core::report::Dimension::Model)
            .map(|b| {
                let max = b
                    .rows
                    .iter()
                    .filter_map(|r| r.count.value)
                    .max()
                    .unwrap_or(0)
                    .max(1);
                BreakdownView {
                    title: b.dimension.label(),
                    rows: b
                        .rows
                        .iter()
                        .map(|r| RowView {
                            label: row_label(b.dimension, &r.value, wijken),
                            shown: shown(&r.count.shown),
                            bar: r
                                .count
                                .value
                                .map_or(0, |v| u32::try_from(v * 200 / max).unwrap_or(200)),
                        })
                        .collect(),
                }
            })
            .collect(),
        records: f
            .records
            .iter()
            .flatten()
            .map(|r| record(r.kind, r.id, drill))
            .collect(),
    }
}

/// What the report says where effects were left out ([`baken_core::report::effects::withheld`]).
const EFFECTS_WITHHELD: &str = "Niet alle effecten staan in dit rapport. Effecten, zoals \
    doorlooptijden en herhaling, staan alleen in een rapport voor het eigen team van wie de \
    dossiers zelf mag zien: uit beschermde aantallen zou een effect verraden wat de \
    bescherming verbergt.";

fn measure(m: &Measure) -> String {
    match m {
        Measure::Share { share, low, high } => format!(
            "{} (95%-betrouwbaarheidsinterval {} tot {})",
            percent(*share),
            percent(*low),
            percent(*high)
        ),
        Measure::Days {
            median,
            lower_quartile,
            upper_quartile,
        } => {
            let (low, high) = (decimal(*lower_quartile, 0), decimal(*upper_quartile, 0));
            if low == high {
                // Not "20 tot 20 dagen".
                format!(
                    "mediaan {} dagen (de middelste helft: precies {low} dagen)",
                    decimal(*median, 0)
                )
            } else {
                format!(
                    "mediaan {} dagen (de middelste helft: {low} tot {high} dagen)",
                    decimal(*median, 0)
                )
            }
        }
        Measure::Difference {
            difference,
            low,
            high,
        } => format!(
            "verschil {} punten op de afwijkingsindex (95%-betrouwbaarheidsinterval {} tot {})",
            decimal(*difference, 1),
            decimal(*low, 1),
            decimal(*high, 1)
        ),
        Measure::Mean { mean, low, high } => format!(
            "gemiddeld {} (95%-betrouwbaarheidsinterval {} tot {})",
            decimal(*mean, 1),
            decimal(*low, 1),
            decimal(*high, 1)
        ),
    }
}

fn effect(e: &Effect) -> EffectView {
    EffectView {
        title: e.key.label(),
        kind: e.kind.label(),
        definition: effect_definition(e.key),
        rows: e
            .rows
            .iter()
            .map(|r| EffectRowView {
                group: if r.group == "alle" {
                    "alle".to_string()
                } else if r.group == "met" {
                    "buurten met sluiting: verandering van de afwijkingsindex".to_string()
                } else if r.group == "zonder" {
                    "vergelijkbare buurten zonder: verandering van de afwijkingsindex".to_string()
                } else if r.group == "verschil" {
                    "verschil".to_string()
                } else if let Some((months, side)) = r.group.split_once(':') {
                    match side {
                        "met" => format!("binnen {months} maanden: panden met de maatregel"),
                        _ => format!(
                            "binnen {months} maanden: vergelijkbare panden zonder maatregel"
                        ),
                    }
                } else {
                    value_label(baken_core::report::Dimension::Trigger, &r.group)
                },
                n: shown(&r.n.shown),
                value: match (&r.measure, r.n.value) {
                    (Some(m), _) => measure(m),
                    (None, Some(0)) => "geen gegevens in deze periode".to_string(),
                    (None, _) => format!(
                        "te weinig om iets over te zeggen (minder dan {})",
                        baken_core::report::effects::MIN_GROUP
                    ),
                },
            })
            .collect(),
    }
}

impl ReportView {
    /// The report as it is read; `wijken` (with their boundaries) name the rows by wijk and
    /// draw their maps.
    pub fn new(
        report: &Report,
        organisation: &str,
        drill: Drill,
        wijken: Wijken<'_>,
    ) -> ReportView {
        ReportView {
            title: format!("Aanpak ondermijning {organisation}: wat we beloofden, deden en gaan doen"),
            period: format!("{} tot en met {}", day(report.from), day(report.until)),
            readers: report.readers.label(),
            protection: match report.readers {
                ReportReaders::Team => format!(
                    "Voor het team. Aantallen zijn exact waar u de gegevens mag zien; anders afgeschermd: kleiner dan {t} niet getoond (\"<{t}\"), de rest afgerond op {t}-tallen, en alleen over hele maanden (anders \"–\").",
                    t = report.threshold
                ),
                ReportReaders::Outside => format!(
                    "Voor lezers buiten het team: aantallen over personen en panden kleiner dan {t} zijn niet getoond (\"<{t}\"), de rest is afgerond op {t}-tallen en alleen over hele maanden gegeven (anders \"–\"), zodat niemand herkenbaar is.",
                    t = report.threshold
                ),
            },
            bibob_note: if report.bibob_exact {
                "Bibob-cijfers exact: dit rapport blijft binnen het Bibob-compartiment."
            } else {
                "Bibob-cijfers alleen als afgeschermde aantallen: ze verlaten het Bibob-compartiment niet exact."
            },
            chapters: report
                .chapters
                .iter()
                .map(|c| ChapterView {
                    title: c.chapter.label(),
                    promised: c
                        .promised
                        .iter()
                        .map(|p| commitment(p, report.readers))
                        .collect(),
                    figures: c.done.iter().map(|f| figure(f, drill, wijken)).collect(),
                    planned: c
                        .planned
                        .iter()
                        .map(|p| commitment(p, report.readers))
                        .collect(),
                })
                .collect(),
            effects_withheld: report.effects_withheld.then_some(EFFECTS_WITHHELD),
            // An effect with nothing in any group says nothing.
            effects: report
                .effects
                .iter()
                .filter(|e| e.rows.iter().any(|r| r.n.value != Some(0)))
                .map(effect)
                .collect(),
            differences: report
                .contradictions
                .iter()
                .map(|c| {
                    let computed = report
                        .figure(c.key)
                        .filter(|f| !f.suppressed)
                        .map_or_else(String::new, |f| {
                            format!(" Uit de registratie: {}.", shown(&f.count.shown))
                        });
                    format!(
                        "In \u{201c}{}\u{201d} tellen de aantallen naar {} van \u{201c}{}\u{201d} op tot {}, terwijl het totaal daar {} is. Baken telt elk gegeven één keer, dus bij Baken tellen de delen altijd op tot het totaal.{computed}",
                        c.source,
                        c.dimension.label(),
                        c.key.label(),
                        c.published_sum,
                        c.published_total,
                    )
                })
                .chain(report.differences.iter().map(|d| {
                    let part = match (&d.dimension, &d.breakdown_value) {
                        (Some(dim), Some(v)) => format!(" ({}: {})", dim.label(), value_label(*dim, v)),
                        _ => String::new(),
                    };
                    format!(
                        "\u{201c}{}\u{201d}{part}: gepubliceerd {} in \u{201c}{}\u{201d}, uit de registratie (zoals u die mag zien) {}.",
                        d.key.label(),
                        d.published,
                        d.source,
                        d.computed
                    )
                }))
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "report_body.html")]
struct Body<'a> {
    r: &'a ReportView,
}

/// The report's body (for a page that has its own frame).
pub fn body_html(view: &ReportView) -> String {
    Body { r: view }.render().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_have_their_thousands_separated() {
        assert_eq!(super::shown("25000"), "25.000");
        assert_eq!(super::shown("109"), "109");
        assert_eq!(super::shown("<5"), "<5");
        assert_eq!(super::shown("–"), "–");
    }

    #[test]
    fn days_name_their_middle_half_once_when_it_is_one_number() {
        use baken_core::report::effects::Measure;
        let days = |median, lower_quartile, upper_quartile| {
            super::measure(&Measure::Days {
                median,
                lower_quartile,
                upper_quartile,
            })
        };
        assert_eq!(
            days(20.0, 20.0, 20.2),
            "mediaan 20 dagen (de middelste helft: precies 20 dagen)"
        );
        assert_eq!(
            days(20.0, 14.0, 31.0),
            "mediaan 20 dagen (de middelste helft: 14 tot 31 dagen)"
        );
    }

    #[test]
    fn a_half_percent_is_rounded_up() {
        assert_eq!(super::percent(10.0 / 16.0), "63%");
        assert_eq!(super::percent(18.0 / 29.0), "62%");
        assert_eq!(super::percent(0.0), "0%");
    }
}
