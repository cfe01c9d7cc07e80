//! The picture pages: the map (`/kaart`), the deviation table (`/afwijkingen`), the area page
//! with its informatiebeeld (`/gebieden/{code}`) and the data behind them. Statistics come from
//! `baken-picture`; counts come from the store, already limited to what the caller may count.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use baken_app::labels::Label;
use baken_app::{AreaTable, ALPHA};
use baken_core::catalogue::Catalogue;
use baken_core::model::{Area, AreaKind};
use baken_core::picture::{BaseKind, CountGroup, CountQuery, Measure, PictureInput, PictureQuery};
use baken_core::signal::SignalFilter;
use baken_core::SignalScope;
use baken_geo::MultiPolygon;
use baken_picture::hotspot::Hotspots;
use baken_picture::map::{self, LegendEntry, MapArea, MapSpec, Marker};
use baken_picture::{chart, dutch_number, DeviationClass};
use baken_store::StoreError;
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};

use crate::ui::{
    internal, message, options, render, store_error, theme_options, Nav, SelectOption, Session,
};
use crate::AppState;

/// At most this many signal points on one map.
const MAX_POINTS: u32 = 2000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/kaart", get(map_page))
        .route("/afwijkingen", get(deviations_page))
        .route("/gebieden/{code}", get(area_page))
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
                        format!("{} signalen", shown_count(r.count, suppressed_label))
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

// ------------------------------------------------------------------ /kaart

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct MapParams {
    #[serde(flatten)]
    picture: PictureInput,
    points: Option<String>,
    /// Farm-visit coverage layer.
    coverage: Option<String>,
    /// Vacant buildings layer.
    vacant: Option<String>,
    /// The year of the coverage layer (default: this year).
    year: Option<String>,
}

fn checked(v: &Option<String>) -> bool {
    matches!(v.as_deref(), Some("true" | "ja" | "1"))
}

/// Object kinds with a map layer: (kind, layer colour, legend text).
const COVERAGE_KIND: &str = "agrarisch-bedrijf";
const VACANT_KIND: &str = "leegstaand-object";

/// One marker per area of `level` with the objects recorded in it or in its parts.
fn object_markers(
    rows: &[baken_store::AreaObjects],
    shapes: &[(Area, Option<MultiPolygon<f64>>)],
    level: AreaKind,
    colour: &'static str,
    text: impl Fn(u64, u64) -> (String, String),
) -> Vec<Marker> {
    let mut per_area: HashMap<String, (u64, u64)> = HashMap::new();
    for row in rows {
        let Ok(code) = baken_core::identifiers::AreaCode::parse(&row.area_code) else {
            continue;
        };
        for (code, kind) in code.with_parent_kinds() {
            if kind == level {
                let e = per_area.entry(code).or_default();
                e.0 += row.objects;
                e.1 += row.visited;
            }
        }
    }
    shapes
        .iter()
        .filter_map(|(area, shape)| {
            let (objects, visited) = per_area.get(&area.code)?;
            let (longitude, latitude) = map::label_point(shape.as_ref()?)?;
            let (label, title) = text(*objects, *visited);
            Some(Marker {
                longitude,
                latitude,
                title: format!("{}: {title}", area.name),
                href: None,
                colour,
                label: Some(label),
            })
        })
        .collect()
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage {
    nav: Option<Nav>,
    errors: Vec<baken_app::wording::FieldMessage>,
    form: PictureForm,
    svg: String,
    heading: String,
    no_shapes: bool,
    aggregated: bool,
    suppressed: String,
    sees_signals: bool,
    points: bool,
    points_shown: usize,
    points_capped: bool,
    base_note: Option<String>,
    coverage: bool,
    vacant: bool,
    year: String,
    layer_notes: Vec<String>,
    /// How clusters and hot spots are computed, when the map shows them.
    hotspot_method: Vec<String>,
}

async fn map_page(
    State(state): State<AppState>,
    session: Session,
    Query(params): Query<MapParams>,
) -> Response {
    let catalogue = match state.store.catalogue().await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    let sees_signals = session.caller.signal_scope() != SignalScope::Nothing;
    let points = sees_signals && checked(&params.points);
    let coverage = sees_signals && checked(&params.coverage);
    let vacant = sees_signals && checked(&params.vacant);
    let this_year = state.clock.today().year();
    let year_text = params.year.clone().unwrap_or_default();
    let year = match year_text.trim() {
        "" => Ok(this_year),
        t => t
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=2100).contains(y))
            .ok_or_else(|| format!("'{t}' is geen jaartal")),
    };
    let suppressed = suppressed_label(&state);
    let query = params.picture.parse(&catalogue);
    let form = PictureForm::new(&catalogue, &params.picture, query.as_ref().ok());
    let query = match (query, year) {
        (Ok(q), Ok(year)) => (q, year),
        (query, year) => {
            let mut errors = query.err().unwrap_or_default();
            if let Err(e) = year {
                errors.push_worded("year", e);
            }
            return render(
                StatusCode::BAD_REQUEST,
                &MapPage {
                    nav: session.nav(),
                    errors: baken_app::wording::messages(&errors),
                    form,
                    svg: String::new(),
                    heading: "Kaart".into(),
                    no_shapes: false,
                    aggregated: false,
                    suppressed,
                    sees_signals,
                    points,
                    points_shown: 0,
                    points_capped: false,
                    base_note: None,
                    coverage,
                    vacant,
                    year: year_text,
                    layer_notes: Vec::new(),
                    hotspot_method: Vec::new(),
                },
            );
        }
    };
    let (query, year) = query;
    let table = match state.ops.area_table(&session.caller, &query).await {
        Ok(t) => t,
        Err(e) => return store_error(&session, e),
    };
    let mut markers = Vec::new();
    if points {
        match state
            .store
            .signal_points(
                &session.caller,
                &query.filter,
                MAX_POINTS,
                state.clock.now(),
            )
            .await
        {
            Ok(found) => {
                markers = found
                    .into_iter()
                    .map(|p| Marker {
                        longitude: p.longitude,
                        latitude: p.latitude,
                        title: format!(
                            "{} – {} ({})",
                            crate::ui::date_text(p.received_on),
                            p.title,
                            p.status.label()
                        ),
                        href: Some(format!("/signalen/{}", p.id)),
                        colour: "#1d2f6f",
                        label: None,
                    })
                    .collect();
            }
            Err(e) => return store_error(&session, e),
        }
    }
    let points_shown = markers.len();
    let mut layer_notes = Vec::new();
    for (on, kind, colour, note) in [
        (
            coverage,
            COVERAGE_KIND,
            "#1a9850",
            "Groene cirkels: bezochte agrarische bedrijven van het totaal in",
        ),
        (
            vacant,
            VACANT_KIND,
            "#762a83",
            "Paarse cirkels: leegstaande objecten (vastgelegd door uw organisatie) in",
        ),
    ] {
        if !on {
            continue;
        }
        let rows = match state
            .store
            .field_objects_by_area(&session.caller, kind, year)
            .await
        {
            Ok(r) => r,
            Err(e) => return store_error(&session, e),
        };
        let before = markers.len();
        markers.extend(object_markers(
            &rows,
            &table.shapes,
            query.level,
            colour,
            |objects, visited| {
                if kind == COVERAGE_KIND {
                    (
                        format!("{visited}/{objects}"),
                        format!("{visited} van {objects} agrarische bedrijven bezocht in {year}"),
                    )
                } else {
                    (
                        objects.to_string(),
                        format!("{objects} leegstaande objecten"),
                    )
                }
            },
        ));
        let shown: u64 = rows.iter().map(|r| r.objects).sum();
        layer_notes.push(format!(
            "{note} {year}{}: {} gebieden, {shown} objecten vastgelegd.",
            if kind == COVERAGE_KIND {
                ""
            } else {
                " (stand nu)"
            },
            markers.len() - before
        ));
    }
    let heading = format!(
        "{} per {}, {}",
        capitalised(query.measure.label()),
        query.level.label().to_lowercase(),
        subject_of(&catalogue, &query.filter)
    );
    let hotspots =
        matches!(query.measure, Measure::Clusters | Measure::Hotspots).then(|| table.hotspots());
    let svg = table_map(
        &table,
        (query.measure, hotspots.as_ref()),
        heading.clone(),
        markers,
        None,
        760.0,
        &suppressed,
    );
    render(
        StatusCode::OK,
        &MapPage {
            nav: session.nav(),
            errors: Vec::new(),
            form,
            no_shapes: svg.is_empty(),
            svg,
            heading,
            aggregated: table.counts.aggregated,
            suppressed,
            sees_signals,
            points,
            points_shown,
            points_capped: points_shown >= MAX_POINTS as usize,
            base_note: base_note(&table, query.base),
            coverage,
            vacant,
            year: year_text,
            layer_notes,
            hotspot_method: hotspots
                .as_ref()
                .map(|h| crate::hotspots::method(h, query.base))
                .unwrap_or_default(),
        },
    )
}

// ------------------------------------------------------------------ /afwijkingen

pub(crate) struct DeviationView {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) count: String,
    pub(crate) base: String,
    pub(crate) rate: String,
    pub(crate) smoothed: String,
    pub(crate) expected: String,
    pub(crate) index: String,
    pub(crate) z: String,
    pub(crate) p: String,
    pub(crate) class: &'static str,
    pub(crate) class_slug: &'static str,
    pub(crate) explanation: String,
}

fn deviation_views(table: &AreaTable, suppressed: &str) -> Vec<DeviationView> {
    table
        .table
        .ranked()
        .into_iter()
        .map(|r| DeviationView {
            code: r.code.clone(),
            name: r.name.clone(),
            count: shown_count(r.count, suppressed),
            base: r.base.map_or_else(|| "–".into(), |b| b.to_string()),
            rate: per_1000(r.rate),
            smoothed: per_1000(r.smoothed_rate),
            expected: r
                .expected
                .map_or_else(|| "–".into(), |e| dutch_number(e, 1)),
            index: r.index.map_or_else(|| "–".into(), |i| dutch_number(i, 0)),
            z: r.z.map_or_else(|| "–".into(), |z| dutch_number(z, 2)),
            p: r.p.map_or_else(
                || "–".into(),
                |p| {
                    if p < 0.001 {
                        "< 0,001".into()
                    } else {
                        dutch_number(p, 3)
                    }
                },
            ),
            class: r.class.label(),
            class_slug: r.class.slug(),
            explanation: r.explanation(ALPHA),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "deviations.html")]
struct DeviationsPage {
    nav: Option<Nav>,
    errors: Vec<baken_app::wording::FieldMessage>,
    form: PictureForm,
    heading: String,
    rows: Vec<DeviationView>,
    deviating: usize,
    reference: String,
    base_label: String,
    base_note: Option<String>,
    funnel: String,
    aggregated: bool,
    suppressed: String,
    alpha: String,
    hotspots: Vec<crate::hotspots::HotspotView>,
    hotspot_method: Vec<String>,
    /// The same selection on the map, as clusters.
    clusters_href: String,
}

async fn deviations_page(
    State(state): State<AppState>,
    session: Session,
    Query(input): Query<PictureInput>,
) -> Response {
    let catalogue = match state.store.catalogue().await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    let suppressed = suppressed_label(&state);
    let query = input.parse(&catalogue);
    let form = PictureForm::new(&catalogue, &input, query.as_ref().ok());
    let mut page = DeviationsPage {
        nav: session.nav(),
        errors: Vec::new(),
        form,
        heading: "Afwijkende gebieden".into(),
        rows: Vec::new(),
        deviating: 0,
        reference: String::new(),
        base_label: String::new(),
        base_note: None,
        funnel: String::new(),
        aggregated: false,
        suppressed,
        alpha: dutch_number(ALPHA * 100.0, 0),
        hotspots: Vec::new(),
        hotspot_method: Vec::new(),
        clusters_href: String::new(),
    };
    let query = match query {
        Ok(q) => q,
        Err(errors) => {
            page.errors = baken_app::wording::messages(&errors);
            return render(StatusCode::BAD_REQUEST, &page);
        }
    };
    let table = match state.ops.area_table(&session.caller, &query).await {
        Ok(t) => t,
        Err(e) => return store_error(&session, e),
    };
    page.heading = format!(
        "Afwijkende {} – {}",
        match query.level {
            AreaKind::Buurt => "buurten",
            AreaKind::Bedrijventerrein => "bedrijventerreinen",
            AreaKind::Buitengebied => "delen van het buitengebied",
            _ => "wijken",
        },
        subject_of(&catalogue, &query.filter)
    );
    page.deviating = table.table.deviating().count();
    page.reference = table
        .table
        .reference_rate
        .map_or_else(String::new, |r| dutch_number(r, 2));
    page.base_label = query.base.label().to_string();
    page.base_note = base_note(&table, query.base);
    page.aggregated = table.counts.aggregated;
    if let Some(reference) = table.table.reference_rate {
        let points: Vec<chart::FunnelPoint> = table
            .table
            .rows
            .iter()
            .filter_map(|r| {
                Some(chart::FunnelPoint {
                    base: r.base? as f64,
                    rate: r.rate?,
                    deviates: r.class.deviates(),
                })
            })
            .collect();
        match chart::funnel(
            "Trechterdiagram: gebieden tegen hun omvang",
            query.base.label(),
            &points,
            reference,
        ) {
            Ok(svg) => page.funnel = svg,
            Err(e) => tracing::warn!(error = %e, "funnel plot failed"),
        }
    }
    page.rows = deviation_views(&table, &page.suppressed);
    if table.table.reference_rate.is_some() {
        let hotspots = table.hotspots();
        page.hotspots = crate::hotspots::views(&table, &hotspots);
        page.hotspot_method = crate::hotspots::method(&hotspots, query.base);
        page.clusters_href = crate::hotspots::map_href(&input);
    }
    render(StatusCode::OK, &page)
}

// ------------------------------------------------------------------ /gebieden/{code}

struct ThemeLine {
    code: String,
    name: String,
    count: String,
    rate: String,
    smoothed: String,
    class: &'static str,
    class_slug: &'static str,
    explanation: String,
    selected: bool,
}

struct Neighbour {
    code: String,
    name: String,
    class: &'static str,
}

struct VisitLine {
    id: String,
    date: String,
    kind: &'static str,
    place: String,
    findings: u64,
}

#[derive(Template)]
#[template(path = "area.html")]
struct AreaPage {
    nav: Option<Nav>,
    area: Area,
    parent: Option<Area>,
    children: Vec<Area>,
    theme: Option<String>,
    theme_name: String,
    base_options: Vec<SelectOption>,
    base: BaseKind,
    lines: Vec<ThemeLine>,
    base_note: Option<String>,
    map: String,
    chart: String,
    neighbours: Vec<Neighbour>,
    islands_note: bool,
    sees_signals: bool,
    open_total: u64,
    rows: Vec<crate::ui::SignalRow>,
    by_org: Vec<(String, String)>,
    visits: Vec<VisitLine>,
    aggregated: bool,
    has_base: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct AreaParams {
    theme: Option<String>,
    base: Option<String>,
}

/// The first day of the month `months` months before `date`'s month.
fn months_back(date: time::Date, months: i32) -> time::Date {
    let total = date.year() * 12 + i32::from(u8::from(date.month())) - 1 - months;
    let (year, month) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    time::Month::try_from(month as u8)
        .ok()
        .and_then(|m| time::Date::from_calendar_date(year, m, 1).ok())
        .unwrap_or(date)
}

async fn area_page(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    Query(params): Query<AreaParams>,
) -> Response {
    let now = state.clock.now();
    let not_found = || {
        message(
            StatusCode::NOT_FOUND,
            session.nav(),
            "Niet gevonden",
            "Dit gebied is niet bekend.",
        )
    };
    let Ok(code) = baken_core::identifiers::AreaCode::parse(&code) else {
        return not_found();
    };
    let area = match state.store.area(code.as_str()).await {
        Ok(Some(a)) => a,
        Ok(None) => return not_found(),
        Err(e) => return internal(e),
    };
    let catalogue = match state.store.catalogue().await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    let input = PictureInput {
        level: Some(area.kind.slug().to_string()),
        theme: params.theme.clone(),
        base: params.base.clone(),
        ..Default::default()
    };
    let query = match input.parse(&catalogue) {
        Ok(q) => q,
        Err(errors) => {
            let text = baken_app::wording::messages(&errors)
                .into_iter()
                .map(|e| e.message)
                .collect::<Vec<_>>()
                .join("; ");
            return message(
                StatusCode::BAD_REQUEST,
                session.nav(),
                "Onjuiste keuze",
                &text,
            );
        }
    };
    // Areas of the same kind, compared per theme (gemeenten are not compared).
    let suppressed = suppressed_label(&state);
    let comparison = match state
        .ops
        .compare_area(&session.caller, &area, &query, &catalogue)
        .await
    {
        Ok(c) => c,
        Err(e) => return store_error(&session, e),
    };
    let theme_name_of = |code: &Option<String>| match code {
        None => "Alle thema's".to_string(),
        Some(c) => catalogue
            .themes
            .iter()
            .find(|t| &t.code == c)
            .map_or_else(|| c.clone(), |t| t.name.clone()),
    };
    let lines: Vec<ThemeLine> = comparison
        .iter()
        .flat_map(|c| c.themes.iter())
        .map(|t| ThemeLine {
            code: t.theme.clone().unwrap_or_default(),
            name: theme_name_of(&t.theme),
            count: shown_count(t.row.count, &suppressed),
            rate: per_1000(t.row.rate),
            smoothed: per_1000(t.row.smoothed_rate),
            class: t.row.class.label(),
            class_slug: t.row.class.slug(),
            explanation: t.row.explanation(ALPHA),
            selected: t.theme == query.filter.theme,
        })
        .collect();
    let selected_table = comparison.as_ref().and_then(|c| c.selected.as_ref());
    let theme_name = subject_of(&catalogue, &query.filter);
    let has_base = selected_table.is_some_and(|t| t.bases.contains_key(&area.code));
    let (map_svg, neighbours, islands_note, base_note) = match (&comparison, selected_table) {
        (Some(c), Some(table)) => {
            let neighbours = c
                .neighbours
                .iter()
                .map(|(a, class)| Neighbour {
                    code: a.code.clone(),
                    name: a.name.clone(),
                    class: class.label(),
                })
                .collect();
            let svg = table_map(
                table,
                (Measure::Afwijking, None),
                format!(
                    "{} tussen de andere {}: afwijking, {}",
                    area.name,
                    area.kind.label().to_lowercase(),
                    theme_name
                ),
                Vec::new(),
                Some(&area.code),
                560.0,
                &suppressed,
            );
            (svg, neighbours, c.island, base_note(table, query.base))
        }
        _ => (String::new(), Vec::new(), false, None),
    };

    // Counts over the last 24 months.
    let from = months_back(baken_core::calendar::local_date(now), 23);
    let monthly = state
        .store
        .signal_counts(
            &session.caller,
            &CountQuery {
                filter: SignalFilter {
                    theme: query.filter.theme.clone(),
                    area: Some(code.clone()),
                    received_from: Some(from),
                    ..Default::default()
                },
                group: CountGroup::Month,
            },
            state.config.suppression,
            now,
        )
        .await;
    let (chart_svg, aggregated) = match monthly {
        Ok(counts) => {
            let bars: Vec<chart::Bar> = (0..24)
                .map(|k| {
                    let month = months_back(baken_core::calendar::local_date(now), 23 - k);
                    let key = format!("{:04}-{:02}", month.year(), u8::from(month.month()));
                    let shown = counts.of(&key);
                    chart::Bar {
                        label: key,
                        value: shown.value,
                    }
                })
                .collect();
            let title = format!("Signalen per maand, {theme_name}");
            (
                chart::bars(&title, &bars, &suppressed).unwrap_or_default(),
                counts.aggregated,
            )
        }
        Err(StoreError::Forbidden(_)) => (String::new(), false),
        Err(e) => return store_error(&session, e),
    };

    // Who reports here.
    let by_org = match state
        .store
        .signal_counts(
            &session.caller,
            &CountQuery {
                filter: SignalFilter {
                    area: Some(code.clone()),
                    ..Default::default()
                },
                group: CountGroup::Organisation,
            },
            state.config.suppression,
            now,
        )
        .await
    {
        Ok(c) => c.groups.into_iter().map(|(k, v)| (k, v.shown)).collect(),
        Err(StoreError::Forbidden(_)) => Vec::new(),
        Err(e) => return store_error(&session, e),
    };

    let sees_signals = session.caller.signal_scope() != SignalScope::Nothing;
    let (open_total, rows) = if sees_signals {
        let filter = SignalFilter {
            area: Some(code.clone()),
            theme: query.filter.theme.clone(),
            open: true,
            ..Default::default()
        };
        let page = baken_core::signal::PageRequest {
            page: 1,
            page_size: 25,
        };
        match state
            .store
            .list_signals(&session.caller, &filter, page, now)
            .await
        {
            Ok(p) => (
                p.total,
                p.items
                    .iter()
                    .map(|s| {
                        crate::ui::signal_row(s, &catalogue, baken_core::calendar::local_date(now))
                    })
                    .collect(),
            ),
            Err(e) => return store_error(&session, e),
        }
    } else {
        (0, Vec::new())
    };
    let visits = if sees_signals {
        match state
            .store
            .visits_in_area(&session.caller, &area.code, now)
            .await
        {
            Ok(v) => v
                .into_iter()
                .map(|v| VisitLine {
                    id: v.id.to_string(),
                    date: crate::ui::date_text(v.visited_on),
                    kind: v.kind.label(),
                    place: v.object_name.or(v.location).unwrap_or_default(),
                    findings: v.findings,
                })
                .collect(),
            Err(e) => return store_error(&session, e),
        }
    } else {
        Vec::new()
    };
    let parent = match &area.parent {
        Some(p) => match state.store.area(p).await {
            Ok(a) => a,
            Err(e) => return internal(e),
        },
        None => None,
    };
    let children = match state.store.child_areas(&area.code).await {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    render(
        StatusCode::OK,
        &AreaPage {
            nav: session.nav(),
            parent,
            children,
            theme: query.filter.theme.clone(),
            theme_name,
            base_options: options(
                BaseKind::ALL,
                BaseKind::slug,
                BaseKind::label,
                query.base.slug(),
            ),
            base: query.base,
            lines,
            base_note,
            map: map_svg,
            chart: chart_svg,
            neighbours,
            islands_note,
            sees_signals,
            open_total,
            rows,
            by_org,
            visits,
            aggregated,
            has_base,
            area,
        },
    )
}
