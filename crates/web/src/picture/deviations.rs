//! `/afwijkingen`: the deviation table of one level, the funnel plot, and the areas in a
//! cluster or hot spot.

use super::*;

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

pub(super) async fn deviations_page(
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
