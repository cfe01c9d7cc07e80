//! `/kaart`: a map of the areas of one level with counts, rates, deviations, clusters or hot
//! spots, and optional layers (signal points, farm-visit coverage, vacant buildings).

use super::*;

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct MapParams {
    #[serde(flatten)]
    picture: PictureInput,
    points: Option<String>,
    /// Farm-visit coverage layer.
    coverage: Option<String>,
    /// Vacant buildings layer.
    vacant: Option<String>,
    /// Closures, sanctions and controls with a location.
    interventions: Option<String>,
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
    interventions: bool,
    year: String,
    layer_notes: Vec<String>,
    /// How clusters and hot spots are computed, when the map shows them.
    hotspot_method: Vec<String>,
    /// The map as a table (its text alternative, with the links to the areas).
    rows: Vec<super::MapRow>,
}

pub(super) async fn map_page(
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
    let interventions = sees_signals && checked(&params.interventions);
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
                    interventions,
                    year: year_text,
                    layer_notes: Vec::new(),
                    hotspot_method: Vec::new(),
                    rows: Vec::new(),
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
    if interventions {
        let filter = baken_core::intervention::InterventionFilter {
            place: baken_core::intervention::Place::OnTheMap,
            ..Default::default()
        };
        let found = match state
            .store
            .interventions(
                &session.caller,
                filter,
                baken_core::page::PageRequest::LONG_LIST,
                state.clock.now(),
            )
            .await
        {
            Ok(f) => f.items,
            Err(e) => return store_error(&session, e),
        };
        layer_notes.push(format!(
            "Rode ruiten: sluitingen, bruine: lasten onder dwangsom en bestuursdwang, oranje: integrale controles die u mag zien ({}). Bibob-onderzoeken staan nooit op de kaart.",
            found.len()
        ));
        markers.extend(found.iter().filter_map(|i| {
            let at = i.location?;
            Some(Marker {
                longitude: at.longitude(),
                latitude: at.latitude(),
                title: format!(
                    "{} – {} ({})",
                    i.kind.label(),
                    i.title,
                    baken_app::labels::procedure_label(
                        i.kind,
                        baken_app::labels::ProcedureWord::State,
                        i.state
                    )
                ),
                href: Some(format!("/interventies/{}", i.id)),
                colour: match i.kind {
                    baken_core::intervention::InterventionKind::Closure => "#b2182b",
                    baken_core::intervention::InterventionKind::Control => "#e08214",
                    _ => "#8c510a",
                },
                label: None,
            })
        }));
    }
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
    let rows = super::map_rows(&table, (query.measure, hotspots.as_ref()), &suppressed);
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
            interventions,
            year: year_text,
            layer_notes,
            hotspot_method: hotspots
                .as_ref()
                .map(|h| crate::hotspots::method(h, query.base))
                .unwrap_or_default(),
            rows,
        },
    )
}
