//! The picture pages: the map (`/kaart`), the deviation table (`/afwijkingen`), the area page
//! with its informatiebeeld (`/gebieden/{code}`) and the data behind them. Statistics come from
//! `baken-picture`; counts come from the store, already limited to what the caller may count.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use baken_app::labels::Label;
use baken_app::{AreaTable, ALPHA};
use baken_core::catalogue::Catalogue;
use baken_core::model::{Area, AreaKind};
use baken_core::picture::{BaseKind, Measure, PictureInput, PictureQuery};
use baken_core::signal::SignalFilter;
use baken_core::SignalScope;
use baken_geo::MultiPolygon;
use baken_picture::hotspot::Hotspots;
use baken_picture::map::{self, LegendEntry, MapArea, MapSpec, Marker};
use baken_picture::{chart, dutch_number, DeviationClass};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};

use crate::ui::{
    internal, message, options, render, store_error, theme_options, Nav, SelectOption, Session,
};
use crate::AppState;

/// At most this many signal points on one map.
const MAX_POINTS: u32 = 2000;

mod area;
mod deviations;
mod map_page;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .get("/kaart", map_page::map_page)
        .get("/afwijkingen", deviations::deviations_page)
        .get("/gebieden/{code}", area::area_page)
}

/// "Basis: inwoners (CBS …, peiljaar 2024)." for every source used, or `None` without bases.
pub(crate) fn base_note(table: &AreaTable, base: BaseKind) -> Option<String> {
    let sources: BTreeSet<String> = table
        .shapes
        .iter()
        .filter_map(|(a, _)| table.bases.get(&a.code))
        .map(|b| format!("{}, peiljaar {}", b.source, b.year))
        .collect();
    (!sources.is_empty()).then(|| {
        format!(
            "Basis: {} ({}).",
            base.label(),
            sources.into_iter().collect::<Vec<_>>().join("; ")
        )
    })
}

pub(crate) fn class_colour(class: DeviationClass) -> &'static str {
    match class {
        DeviationClass::SterkBoven => "#b2182b",
        DeviationClass::Boven => "#f4a582",
        DeviationClass::Gemiddeld => "#f7f7f7",
        DeviationClass::Onder => "#92c5de",
        DeviationClass::SterkOnder => "#2166ac",
        DeviationClass::Onbekend => map::NO_VALUE,
    }
}

fn per_1000(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_string(), |v| dutch_number(v, 2))
}

/// How the areas of `table` are filled for `measure`, with the legend; `hotspots` are the
/// table's clusters and hot spots when the measure shows them.
fn fills(
    table: &AreaTable,
    measure: Measure,
    hotspots: Option<&Hotspots>,
    suppressed_label: &str,
) -> (Vec<(&'static str, bool, String)>, Vec<LegendEntry>) {
    let rows = &table.table.rows;
    match measure {
        Measure::Clusters | Measure::Hotspots => match hotspots {
            Some(h) => crate::hotspots::fills(table, h, measure),
            None => crate::hotspots::fills(table, &table.hotspots(), measure),
        },
        Measure::Afwijking => {
            let fills = rows
                .iter()
                .map(|r| {
                    (
                        class_colour(r.class),
                        r.count.is_none(),
                        format!(
                            "{} ({})",
                            r.class.label(),
                            shown_count(r.count, suppressed_label)
                        ),
                    )
                })
                .collect();
            let legend = DeviationClass::ALL
                .iter()
                .map(|c| LegendEntry {
                    label: c.label().to_string(),
                    colour: class_colour(*c),
                    hatched: false,
                })
                .collect();
            (fills, legend)
        }
        Measure::Aantal | Measure::Rate => {
            let rate = measure == Measure::Rate;
            let value = |r: &baken_picture::DeviationRow| {
                if rate {
                    r.rate
                } else {
                    r.count.map(|c| c as f64)
                }
            };
            let values: Vec<f64> = rows.iter().filter_map(value).collect();
            let breaks = map::quantile_breaks(&values, map::SEQUENTIAL.len());
            let decimals = if rate { 2 } else { 0 };
            let fills = rows
                .iter()
                .map(|r| {
                    let caption = if rate {
                        format!("{} per 1.000", per_1000(r.rate))
                    } else {
                        match r.count {
                            Some(n) => baken_app::wording::counted(n, "signaal", "signalen"),
                            None => format!("{suppressed_label} signalen"),
                        }
                    };
                    match value(r) {
                        None if r.count.is_none() => (map::NO_VALUE, true, caption),
                        None => (map::NO_VALUE, false, caption),
                        Some(v) => match map::class_of(v, &breaks) {
                            None => (map::ZERO, false, caption),
                            Some(k) => (map::SEQUENTIAL[k], false, caption),
                        },
                    }
                })
                .collect();
            let mut legend = vec![LegendEntry {
                label: "0".into(),
                colour: map::ZERO,
                hatched: false,
            }];
            legend.extend(
                map::break_labels(&breaks, decimals)
                    .into_iter()
                    .zip(map::SEQUENTIAL)
                    .map(|(label, colour)| LegendEntry {
                        label,
                        colour,
                        hatched: false,
                    }),
            );
            if table.counts.aggregated {
                legend.push(LegendEntry {
                    label: format!("{suppressed_label} (niet getoond)"),
                    colour: map::NO_VALUE,
                    hatched: true,
                });
            }
            if rate {
                legend.push(LegendEntry {
                    label: "geen basis bekend".into(),
                    colour: map::NO_VALUE,
                    hatched: false,
                });
            }
            (fills, legend)
        }
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn shown_count(count: Option<u64>, suppressed_label: &str) -> String {
    count.map_or_else(|| suppressed_label.to_string(), |c| c.to_string())
}

fn suppressed_label(state: &AppState) -> String {
    state.config.suppression.label()
}

/// One area of a map as a table row: the map's text alternative.
pub(crate) struct MapRow {
    pub(crate) name: String,
    pub(crate) href: String,
    pub(crate) caption: String,
}

/// The areas of `table` with what the map says of each, in the map's order.
pub(crate) fn map_rows(
    table: &AreaTable,
    (measure, hotspots): (Measure, Option<&Hotspots>),
    suppressed: &str,
) -> Vec<MapRow> {
    let (fills, _) = fills(table, measure, hotspots, suppressed);
    table
        .shapes
        .iter()
        .zip(fills)
        .map(|((area, _), (_, _, caption))| MapRow {
            name: area.name.clone(),
            href: format!("/gebieden/{}", area.code),
            caption,
        })
        .collect()
}

/// The SVG map of `table`; `highlight` draws one area heavier.
fn table_map(
    table: &AreaTable,
    (measure, hotspots): (Measure, Option<&Hotspots>),
    title: String,
    markers: Vec<Marker>,
    highlight: Option<&str>,
    width: f64,
    suppressed: &str,
) -> String {
    let (fills, legend) = fills(table, measure, hotspots, suppressed);
    let areas: Vec<MapArea<'_>> = table
        .shapes
        .iter()
        .zip(fills)
        .filter_map(|((area, shape), (fill, hatched, caption))| {
            shape.as_ref().map(|shape| MapArea {
                name: &area.name,
                href: format!("/gebieden/{}", area.code),
                shape,
                fill,
                caption,
                hatched,
                highlighted: highlight == Some(area.code.as_str()),
            })
        })
        .collect();
    if areas.is_empty() {
        return String::new();
    }
    map::render(&MapSpec {
        id: "kaart".into(),
        title,
        areas,
        markers,
        legend_title: measure.label().to_string(),
        legend,
        width,
    })
}

const LEVELS: [AreaKind; 4] = [
    AreaKind::Wijk,
    AreaKind::Buurt,
    AreaKind::Bedrijventerrein,
    AreaKind::Buitengebied,
];

/// The form shared by the map and the deviation page.
struct PictureForm {
    level_options: Vec<SelectOption>,
    theme_options: Vec<SelectOption>,
    base_options: Vec<SelectOption>,
    measure_options: Vec<SelectOption>,
    from: String,
    until: String,
}

impl PictureForm {
    fn new(catalogue: &Catalogue, input: &PictureInput, query: Option<&PictureQuery>) -> Self {
        let level = query.map_or(AreaKind::Wijk, |q| q.level);
        let base = query.map_or(BaseKind::Inwoners, |q| q.base);
        let measure = query.map_or(Measure::Aantal, |q| q.measure);
        Self {
            level_options: options(&LEVELS, AreaKind::slug, AreaKind::label, level.slug()),
            theme_options: theme_options(catalogue, input.theme.as_deref()),
            base_options: options(BaseKind::ALL, BaseKind::slug, BaseKind::label, base.slug()),
            measure_options: options(Measure::ALL, Measure::slug, Measure::label, measure.slug()),
            from: input.received_from.clone().unwrap_or_default(),
            until: input.received_until.clone().unwrap_or_default(),
        }
    }
}

fn subject_of(catalogue: &Catalogue, filter: &SignalFilter) -> String {
    match (&filter.indicator, &filter.theme) {
        (Some(i), _) => catalogue
            .indicator(i)
            .map_or_else(|| i.clone(), |(_, ind)| format!("indicator {}", ind.name)),
        (None, Some(t)) => catalogue
            .theme(t)
            .map_or_else(|| t.clone(), |th| format!("thema {}", th.name)),
        (None, None) => "alle thema's".to_string(),
    }
}
